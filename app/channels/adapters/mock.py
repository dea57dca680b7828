"""Mock mode (`CHANNEL_MOCK_MODE=true`): channels simulated in-process, nothing leaves it.

Answers follow the runbook's "Mock Mode for Channel Providers": the test
reports from the connection's own status, syncs succeed after a short delay.
"""
from __future__ import annotations

import time
from datetime import date

from flask import current_app

from app.channels.adapters.base import (AvailabilityRange, ChannelAdapter, RateRange, Reservation,
                                        TestResult)
from app.channels.platforms import platform

MOCK_NOTE = "This is a simulated response. Set CHANNEL_MOCK_MODE=false for real API calls."


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
