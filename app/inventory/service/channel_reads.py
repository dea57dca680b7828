"""What the calendar, the occupancy chart, booking labels and the property page show of the
channel manager, lent by the channels module when it is mounted (`app.channels.setup`).

Inventory never imports the channel manager: without it (CHANNELS_ENABLED=false)
`channel_reads()` is None and those pages show no channel data (holds are "Channel
holds", no conflicts, no connections, no iCal export URL).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import ColumnElement, Select

from app.core.hooks import provide, provided
from app.inventory.models import Property
from app.inventory.service.ranges import Stay

HOOK = "inventory.channel_reads"


@dataclass(frozen=True)
class ChannelReads:
    """`platform_labels`: platform type -> display name ("booking_com" -> "Booking.com").
    `connection_platform(agency_id, connection_id)`: the platform type of a connection (an SQL
    expression, `connection_id` a column of the enclosing query).
    `open_conflicts(agency_id, window)`: a select of the open overbooking conflicts overlapping the
    window (the columns of `OverbookingConflict`). `property_connections(agency_id, property_id)`: the
    property's connections. `ical_url(property)`: its public iCal export URL."""
    platform_labels: Mapping[str, str]
    connection_platform: Callable[[uuid.UUID, ColumnElement], ColumnElement]
    open_conflicts: Callable[[uuid.UUID, Stay], Select]
    property_connections: Callable[[uuid.UUID, uuid.UUID], list]
    ical_url: Callable[[Property], str]


def register_channel_reads(app: Flask, reads: ChannelReads) -> None:
    provide(app, HOOK, reads)


def channel_reads() -> ChannelReads | None:
    """The channel manager's reads, or None when it is not mounted."""
    return provided(HOOK)


def platform_labels() -> Mapping[str, str]:
    reads = channel_reads()
    return reads.platform_labels if reads else {}
