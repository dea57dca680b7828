"""The booking platforms a connection can talk to: names, settings, mock answers, budgets.

Each platform declares which environment settings its API needs, what mock
mode answers for it (runbook "Mock Mode Platform Responses") and its request
budget, which the worker spends without exceeding it.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.channels.models import PLATFORMS


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    base_setting: str
    key_setting: str
    required_settings: tuple[str, ...]
    mock_account_id: str
    mock_listing_id: str
    capabilities: tuple[str, ...]
    requests_per_minute: int = 60  # per listing
    ranges_per_call: int = 50  # coalesced date ranges sent in one call

    @property
    def supports_bookings(self) -> bool:
        return "booking_retrieval" in self.capabilities


_FULL = ("availability_sync", "pricing_sync", "booking_retrieval")

PLATFORM_DEFINITIONS = {
    "airbnb": Platform(
        "airbnb", "Airbnb", "AIRBNB_API_BASE", "AIRBNB_API_KEY", ("AIRBNB_API_KEY", "AIRBNB_API_SECRET"),
        "mock_airbnb_host_123456", "mock_listing_987654", _FULL),
    "booking_com": Platform(
        "booking_com", "Booking.com", "BOOKING_COM_API_BASE", "BOOKING_COM_API_KEY",
        ("BOOKING_COM_API_KEY", "BOOKING_COM_SECRET"),
        "mock_booking_hotel_789012", "mock_property_345678", _FULL + ("channel_manager",),
        requests_per_minute=120),
    "expedia": Platform(
        "expedia", "Expedia", "EXPEDIA_API_BASE", "EXPEDIA_API_KEY",
        ("EXPEDIA_API_KEY", "EXPEDIA_API_SECRET", "EXPEDIA_PARTNER_ID"),
        "mock_expedia_partner_456789", "mock_vrbo_listing_234567", _FULL),
    "fewo_direkt": Platform(
        "fewo_direkt", "FeWo-direkt", "FEWO_DIREKT_API_BASE", "FEWO_DIREKT_API_KEY",
        ("FEWO_DIREKT_API_KEY", "FEWO_DIREKT_SECRET"),
        "mock_fewo_owner_654321", "mock_fewo_property_876543", ("availability_sync", "pricing_sync"),
        requests_per_minute=30),
    "google": Platform(
        "google", "Google Vacation Rentals", "GOOGLE_HOTELS_API_BASE", "GOOGLE_HOTELS_API_KEY",
        ("GOOGLE_HOTELS_API_KEY", "GOOGLE_HOTELS_PARTNER_ID"),
        "mock_google_hotel_112233", "mock_google_listing_998877", ("availability_sync", "pricing_sync")),
}
assert tuple(PLATFORM_DEFINITIONS) == PLATFORMS


def platform(name: str) -> Platform:
    return PLATFORM_DEFINITIONS[name]


def missing_settings(definition: Platform, config) -> list[str]:
    """The settings this platform's API needs that are empty in `config`."""
    needed = (definition.base_setting, *definition.required_settings)
    return [name for name in needed if not config.get(name)]


def platform_label(name: str | None) -> str:
    """A platform's display name ("booking_com" shows as "Booking.com"); "Channel" when not known."""
    return PLATFORM_DEFINITIONS[name].label if name in PLATFORM_DEFINITIONS else "Channel"
