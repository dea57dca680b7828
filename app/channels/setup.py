"""The channel manager's part of app setup: it lends inventory what the calendar, the occupancy
chart and the property page show of it (`app.inventory.service.channel_reads`)."""
from __future__ import annotations

from flask import Flask

from app.channels.service import reads
from app.channels.service.ical import ical_url
from app.inventory.service.channel_reads import ChannelReads, register_channel_reads


def setup_channels(app: Flask) -> None:
    register_channel_reads(app, ChannelReads(
        platform_labels=reads.platform_labels(), connection_platform=reads.connection_platform,
        open_conflicts=reads.open_conflicts, property_connections=reads.property_connections, ical_url=ical_url))
