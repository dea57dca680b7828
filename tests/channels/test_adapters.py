"""HTTP adapters against the channel simulator over real HTTP: health, pushes, error classification."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests

from app.channels.adapters import adapter_for
from app.channels.adapters.base import (AvailabilityRange, ChannelBadResponse, ChannelError, ChannelRateLimited,
                                        ChannelRejected, ChannelTimeout, ConnectionSnapshot, RateRange)
from app.channels.adapters.wire import retry_after_seconds

START = date(2031, 3, 1)


def snapshot(**overrides) -> ConnectionSnapshot:
    values = dict(id=uuid.uuid4(), agency_id=uuid.uuid4(), property_id=uuid.uuid4(), platform_type="airbnb",
                  platform_listing_id="L-1", status="active", access_token="tok")
    return ConnectionSnapshot(**{**values, **overrides})


@pytest.fixture
def adapter(app, simulator):
    with app.app_context():
        yield lambda **overrides: adapter_for(snapshot(**overrides), idempotency_key="log-1")


def test_health_check_over_http(adapter, sim_requests):
    result = adapter().test_connection()
    assert result.healthy and result.message == "Connection is healthy"
    assert result.details["mock_mode"] is False and result.details["remote_account_id"] == "sim_airbnb_account"
    assert result.details["http_status"] == 200 and result.details["duration_ms"] >= 0
    assert sim_requests("/airbnb/listings/L-1")[0]["api_key"] is True


def test_configuration_problems_have_error_codes(adapter, app, monkeypatch):
    inactive = adapter(status="paused").test_connection()
    assert inactive.details["error_code"] == "CONNECTION_INACTIVE" and inactive.message == "Connection is paused"
    monkeypatch.setitem(app.config, "CHANNELS_DISABLED_PLATFORMS", ["expedia"])
    disabled = adapter(platform_type="expedia").test_connection()
    assert disabled.details["error_code"] == "INTEGRATION_DISABLED"
    assert disabled.message == "Expedia integration is disabled. Contact support to enable."
    monkeypatch.setitem(app.config, "BOOKING_COM_SECRET", "")
    missing = adapter(platform_type="booking_com").test_connection()
    assert missing.healthy is False and missing.details["error_code"] == "CREDENTIALS_MISSING"
    assert missing.message == ("Booking.com credentials not configured. Add BOOKING_COM_SECRET to environment.")
    assert missing.details["required_env_vars"] == ["BOOKING_COM_API_BASE", "BOOKING_COM_API_KEY",
                                                    "BOOKING_COM_SECRET"]


def test_availability_is_pushed_as_coalesced_ranges_with_idempotency_keys(adapter, sim_requests):
    ranges = [AvailabilityRange(START, START + timedelta(days=10), True),
              AvailabilityRange(START + timedelta(days=10), START + timedelta(days=13), False),
              AvailabilityRange(START + timedelta(days=13), START + timedelta(days=90), True)]
    airbnb = adapter()
    assert airbnb.push_availability(ranges) == {"ranges_pushed": 3, "closed_ranges": 1}
    airbnb.push_rates([RateRange(START, START + timedelta(days=90), Decimal("120.00"), 2)], "EUR")
    sent = sim_requests("/airbnb/listings/L-1/")
    assert [item["path"] for item in sent] == ["/airbnb/listings/L-1/availability", "/airbnb/listings/L-1/rates"]
    assert [item["idempotency_key"] for item in sent] == ["log-1-1", "log-1-2"]
    assert '"available": false' in sent[0]["body"] and '"nightly_rate": "120.00"' in sent[1]["body"]
    assert airbnb.stats.calls == 2


def test_reservations_from_the_channel_api(adapter, simulator):
    requests.put(f"{simulator.url}/_sim/reservations/airbnb/L-1", timeout=5, json=[
        {"id": "R1", "check_in": "2031-03-02", "check_out": "2031-03-05"}])
    reservations = adapter().fetch_reservations(START, START + timedelta(days=90))
    assert [(r.external_uid, r.start, r.end) for r in reservations] == [("R1", date(2031, 3, 2), date(2031, 3, 5))]


@pytest.mark.parametrize("fault, error_class, retryable, status", [
    ({"mode": "error", "status": 503}, ChannelError, True, 503),
    ({"mode": "rate_limit", "retry_after": 7}, ChannelRateLimited, True, 429),
    ({"mode": "malformed"}, ChannelBadResponse, True, 200),
    ({"mode": "error", "status": 400}, ChannelRejected, False, 400),
])
def test_channel_failures_are_classified(adapter, sim_control, fault, error_class, retryable, status):
    sim_control("faults", **fault)
    with pytest.raises(ChannelError) as caught:
        adapter().push_availability([AvailabilityRange(START, START + timedelta(days=1), True)])
    assert type(caught.value) is error_class and caught.value.retryable is retryable
    assert caught.value.http_status == status
    if error_class is ChannelRateLimited:
        assert caught.value.retry_after == 7


def test_slow_channel_is_a_timeout(adapter, sim_control):
    sim_control("faults", mode="slow", delay_seconds=1.2, times=2)
    with pytest.raises(ChannelTimeout) as caught:
        adapter().push_availability([])
    assert "did not answer within 0.5s" in caught.value.message and caught.value.error_type == "channel_timeout"
    health = adapter().test_connection()
    assert health.healthy is False and health.details["error_code"] == "CHANNEL_TIMEOUT"


def test_unreachable_channel_is_retryable(app, monkeypatch):
    monkeypatch.setitem(app.config, "AIRBNB_API_BASE", "http://127.0.0.1:1")
    for name in ("AIRBNB_API_KEY", "AIRBNB_API_SECRET"):
        monkeypatch.setitem(app.config, name, "x")
    with app.app_context(), pytest.raises(ChannelError) as caught:
        adapter_for(snapshot()).push_availability([])
    assert caught.value.retryable and caught.value.message.startswith("Cannot reach channel")


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert 0 <= retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") <= 0.0


def test_ical_only_connection_tests_its_feed_and_skips_pushes(app, simulator, monkeypatch):
    feed = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sim//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\n"
            b"DTSTART;VALUE=DATE:20310302\r\nDTEND;VALUE=DATE:20310305\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n")
    requests.put(f"{simulator.url}/_sim/feeds/fewo", data=feed, timeout=5)
    monkeypatch.setitem(app.config, "FEWO_DIREKT_API_KEY", "")
    with app.app_context():
        ical = adapter_for(snapshot(platform_type="fewo_direkt", ical_import_url=f"{simulator.url}/feeds/fewo.ics"))
        result = ical.test_connection()
        assert result.healthy and result.details["source"] == "ical" and result.details["events"] == 1
        assert ical.push_availability([])["skipped"] is True
        assert [r.external_uid for r in ical.fetch_reservations(START, START)] == ["e1"]


def test_request_budget_waits_instead_of_exceeding(app):
    from app.channels.adapters import budget

    class Waited(Exception):
        pass

    def no_sleep(seconds):
        assert 0 < seconds <= 60
        raise Waited

    with app.app_context():
        budget.spend("airbnb", "L-budget", 2, sleep=no_sleep)
        budget.spend("airbnb", "L-budget", 2, sleep=no_sleep)
        with pytest.raises(Waited):
            budget.spend("airbnb", "L-budget", 2, sleep=no_sleep)
        budget.spend("airbnb", "other-listing", 2, sleep=no_sleep)  # budgets are per listing
