"""What to sync when a person chooses a platform and a property (the Channel Sync page):
auto-detect of the connection, and which trigger a sync type goes through.

Availability and pricing go through the property trigger (its active connection, or the one
given); bookings and full syncs need exactly one connection, found by auto-detect.
"""
from __future__ import annotations

import uuid
from datetime import date

from app.channels.models import ChannelConnection
from app.channels.platforms import PLATFORM_DEFINITIONS
from app.channels.service.reads import find_connections
from app.channels.service.sync import PROPERTY_SYNC_TYPES, TriggerResult, trigger_property_sync, trigger_sync
from app.core.errors import ValidationFailed

FIELD = "connection_id"  # the field every auto-detect answer belongs to
CHOOSE_FIRST = "Select Platform and Property first, then Auto-detect"
SEVERAL_MATCH = "Several connections match: choose one with Auto-detect"


def detect_connections(agency_id: uuid.UUID, platform_type: str | None, property_id: uuid.UUID | None,
                       chosen: uuid.UUID | None = None) -> list[ChannelConnection]:
    """The property's connections on the platform (only `chosen`, when given); ValidationFailed when none."""
    if platform_type not in PLATFORM_DEFINITIONS or property_id is None:
        raise ValidationFailed.field(FIELD, CHOOSE_FIRST)
    matches = find_connections(agency_id, platform_type, property_id)
    if chosen is not None:
        matches = [match for match in matches if match.id == chosen]
    if not matches:
        label = PLATFORM_DEFINITIONS[platform_type].label
        raise ValidationFailed.field(FIELD, f"No {label} connection found for this property")
    return matches


def trigger_chosen_sync(agency_id: uuid.UUID, sync_type: str, platform_type: str, property_id: uuid.UUID, *,
                        connection_id: uuid.UUID | None = None, start: date | None = None,
                        end: date | None = None) -> TriggerResult:
    """Start `sync_type` for the property on the platform, through the trigger that fits it."""
    if sync_type in PROPERTY_SYNC_TYPES:
        return trigger_property_sync(agency_id, property_id, platform_type, sync_type, connection_id=connection_id,
                                     start=start, end=end)
    matches = detect_connections(agency_id, platform_type, property_id, connection_id)
    if len(matches) > 1:
        raise ValidationFailed.field(FIELD, SEVERAL_MATCH)
    return trigger_sync(agency_id, matches[0].id, sync_type, start, end)
