"""Channel adapters: one interface (`ChannelAdapter`), chosen per connection.

`CHANNELS_MOCK_MODE=true` simulates every platform API in-process; a connection
with an iCal import URL still reads its real feed. Otherwise the HTTP adapter
talks to the platform's API or iCal feed.
"""
from __future__ import annotations

from flask import current_app

from app.channels.adapters.base import ChannelAdapter, ConnectionSnapshot


def adapter_for(connection: ConnectionSnapshot, idempotency_key: str = "") -> ChannelAdapter:
    if current_app.config["CHANNELS_MOCK_MODE"]:
        from app.channels.adapters.mock import MockAdapter, MockApiWithIcalFeed

        adapter = MockApiWithIcalFeed if connection.ical_import_url else MockAdapter
        return adapter(connection, idempotency_key)
    from app.channels.adapters.http import HttpAdapter

    return HttpAdapter(connection, idempotency_key)
