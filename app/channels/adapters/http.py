"""Channel APIs over HTTP (`requests`), configured per platform from the environment.

A connection with an `ical_import_url` on a platform whose API is not
configured works the iCal way: the channel subscribes to our export feed
(pushes are skipped) and bookings are read from its feed.
"""
from __future__ import annotations

from datetime import date

from flask import current_app

from app.channels.adapters import budget
from app.channels.adapters.base import (AvailabilityRange, ChannelAdapter, ChannelBadResponse, ChannelError,
                                        ChannelNotConfigured, RateRange, Reservation, SyncValidationError,
                                        TestResult)
from app.channels.adapters.ical import feed_test_details, fetch_feed
from app.channels.adapters.wire import Wire
from app.channels.platforms import missing_settings, platform

ICAL_EXPORT_NOTE = "The channel reads availability and prices from the property's iCal export feed"


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


class HttpAdapter(ChannelAdapter):
    def __init__(self, connection, idempotency_key: str = ""):
        super().__init__(connection, idempotency_key)
        self.platform = platform(connection.platform_type)
        config = current_app.config
        self.base = config.get(self.platform.base_setting, "").rstrip("/")
        credentials = {"X-Api-Key": config.get(self.platform.key_setting, "")}
        if connection.access_token:
            credentials["Authorization"] = f"Bearer {connection.access_token}"
        self.wire = Wire(self.stats, idempotency_key, credentials)

    # --- configuration problems (runbook "Error Codes and Messages") ---

    def problem(self) -> tuple[str, str, dict] | None:
        """(error_code, message, details) when this connection cannot use the platform API."""
        config, label = current_app.config, self.platform.label
        if self.connection.status != "active":
            return ("CONNECTION_INACTIVE", f"Connection is {self.connection.status}",
                    {"connection_status": self.connection.status})
        if self.platform.name in config["CHANNELS_DISABLED_PLATFORMS"]:
            return "INTEGRATION_DISABLED", f"{label} integration is disabled. Contact support to enable.", {}
        missing = missing_settings(self.platform, config)
        if missing:
            required = [self.platform.base_setting, *self.platform.required_settings]
            return ("CREDENTIALS_MISSING",
                    f"{label} credentials not configured. Add {' and '.join(missing)} to environment.",
                    {"required_env_vars": required, "missing_env_vars": missing})
        return None

    def uses_ical(self) -> bool:
        """iCal-only channel: it has a feed URL and no API credentials are configured."""
        problem = self.problem()
        return bool(self.connection.ical_import_url) and problem is not None and problem[0] == "CREDENTIALS_MISSING"

    def require_api(self) -> None:
        problem = self.problem()
        if problem:
            raise ChannelNotConfigured(problem[1])
        if not self.connection.platform_listing_id:
            raise SyncValidationError("Connection has no platform_listing_id")

    def listing_url(self, suffix: str = "") -> str:
        return f"{self.base}/listings/{self.connection.platform_listing_id}{suffix}"

    # --- the adapter interface ---

    def test_connection(self) -> TestResult:
        problem, ical = self.problem(), self.uses_ical()
        if problem and not ical:
            code, message, extra = problem
            return TestResult(False, message, {"error_code": code, "mock_mode": False, **extra})
        try:
            details = self._test_ical() if ical else self._test_api()
        except ChannelError as exc:
            return TestResult(False, exc.message, {"error_code": exc.error_type.upper(), "mock_mode": False,
                                                   **self.stats.as_details()})
        return TestResult(True, "Connection is healthy", {"mock_mode": False, **details, **self.stats.as_details()})

    def _test_api(self) -> dict:
        self.require_api()
        body = self.wire.json("GET", self.listing_url())
        return {"remote_account_id": body.get("account_id"), "remote_listing_id": body.get("listing_id"),
                "capabilities": body.get("capabilities", [])}

    def _test_ical(self) -> dict:
        return feed_test_details(self.wire, self.connection.ical_import_url)

    def _spend(self) -> None:
        budget.spend(self.platform.name, self.connection.platform_listing_id or str(self.connection.id),
                     self.platform.requests_per_minute)

    def _push(self, suffix: str, payloads: list[dict]) -> None:
        for payload in payloads:
            self._spend()
            self.wire.json("PUT", self.listing_url(suffix), json=payload)

    def push_availability(self, ranges: list[AvailabilityRange]) -> dict:
        if self.uses_ical():
            return {"skipped": True, "reason": ICAL_EXPORT_NOTE}
        self.require_api()
        self._push("/availability", [
            {"ranges": [{"start_date": r.start.isoformat(), "end_date": r.end.isoformat(),
                         "available": r.available} for r in chunk]}
            for chunk in chunks(ranges, self.platform.ranges_per_call)])
        return {"ranges_pushed": len(ranges), "closed_ranges": sum(not r.available for r in ranges)}

    def push_rates(self, ranges: list[RateRange], currency: str) -> dict:
        if self.uses_ical():
            return {"skipped": True, "reason": ICAL_EXPORT_NOTE}
        self.require_api()
        self._push("/rates", [
            {"currency": currency,
             "ranges": [{"start_date": r.start.isoformat(), "end_date": r.end.isoformat(),
                         "nightly_rate": str(r.nightly_rate), "min_stay": r.min_stay} for r in chunk]}
            for chunk in chunks(ranges, self.platform.ranges_per_call)])
        return {"rates_pushed": len(ranges), "currency": currency}

    def fetch_reservations(self, start: date, end: date) -> list[Reservation]:
        if self.connection.ical_import_url:
            reservations, _ = fetch_feed(self.wire, self.connection.ical_import_url)
            return reservations
        self.require_api()
        if not self.platform.supports_bookings:
            raise SyncValidationError(f"{self.platform.label} does not deliver bookings through its API; "
                                      "set an iCal import URL on the connection")
        self._spend()
        body = self.wire.json("GET", self.listing_url("/reservations"),
                              params={"start_date": start.isoformat(), "end_date": end.isoformat()})
        return [api_reservation(item) for item in body.get("reservations", [])]


def api_reservation(item: dict) -> Reservation:
    try:
        return Reservation(str(item["id"]), date.fromisoformat(item["check_in"]),
                           date.fromisoformat(item["check_out"]), str(item.get("summary") or "Reserved"))
    except (KeyError, TypeError, ValueError):
        raise ChannelBadResponse("Channel sent an unreadable reservation (id, check_in or check_out missing "
                                 "or invalid)") from None
