"""Mock mode (`CHANNELS_MOCK_MODE=true`): platform APIs simulated in-process, nothing is sent to them.

Answers follow the runbook's "Mock Mode for Channel Providers": the test
reports from the connection's own status, syncs succeed after a short delay.
Mock mode covers platform APIs only: a connection with an iCal import URL
reads its real feed (`MockApiWithIcalFeed`), so a demo feed imports its events.
"""
from __future__ import annotations

import time
from datetime import date

from flask import current_app

from app.channels.adapters.base import (AvailabilityRange, ChannelAdapter, ChannelError, RateRange, Reservation,
                                        TestResult)
from app.channels.adapters.ical import feed_test_details, fetch_feed
from app.channels.adapters.wire import Wire
from app.channels.platforms import platform

MOCK_NOTE = "This is a simulated response. Set CHANNELS_MOCK_MODE=false for real API calls."
FEED_NOTE = "The iCal feed was read for real; platform API calls are simulated (CHANNELS_MOCK_MODE=true)."


class MockAdapter(ChannelAdapter):
    mock_mode = True

    def test_connection(self) -> TestResult:
        status = self.connection.status
        definition = platform(self.connection.platform_type)
        details = {
            "mock_mode": True, "simulated": True, "connection_status": status,
            "remote_account_id": definition.mock_account_id,
            "remote_listing_id": self.connection.platform_listing_id or definition.mock_listing_id,
            "capabilities": list(definition.capabilities), "note": MOCK_NOTE,
        }
        if status == "active":
            return TestResult(True, "Mock: Connection is healthy", details)
        return TestResult(False, f"Mock: Connection status is {status}", details)

    def _simulate(self, **counts) -> dict:
        time.sleep(current_app.config["CHANNELS_MOCK_DELAY_SECONDS"])
        self.stats.calls += 1
        return {"mock_mode": True, "simulated": True, **counts}

    def push_availability(self, ranges: list[AvailabilityRange]) -> dict:
        return self._simulate(ranges_pushed=len(ranges), closed_ranges=sum(not r.available for r in ranges))

    def push_rates(self, ranges: list[RateRange], currency: str) -> dict:
        return self._simulate(rates_pushed=len(ranges), currency=currency)

    def fetch_reservations(self, start: date, end: date) -> list[Reservation]:
        self._simulate()
        return []


class MockApiWithIcalFeed(MockAdapter):
    """Mock mode for a connection with an iCal import URL: pushes are simulated, the feed is read for real."""
    mock_mode = False  # its bookings sync imports what the feed holds

    def __init__(self, connection, idempotency_key: str = ""):
        super().__init__(connection, idempotency_key)
        self.wire = Wire(self.stats, idempotency_key)

    def test_connection(self) -> TestResult:
        if self.connection.status != "active":
            return super().test_connection()
        try:
            details = feed_test_details(self.wire, self.connection.ical_import_url)
        except ChannelError as exc:
            return TestResult(False, exc.message, {"error_code": exc.error_type.upper(), "mock_mode": False,
                                                   "api_simulated": True, **self.stats.as_details()})
        return TestResult(True, "iCal feed is reachable (platform API simulated)",
                          {"mock_mode": False, "api_simulated": True, "note": FEED_NOTE, **details,
                           **self.stats.as_details()})

    def fetch_reservations(self, start: date, end: date) -> list[Reservation]:
        reservations, _ = fetch_feed(self.wire, self.connection.ical_import_url)
        return reservations
