"""The adapter interface, what adapters receive, and how channel failures are classified.

Adapters never touch the database: the sync engine hands them a snapshot of
the connection and the data to push, and gets plain results back.
"""
from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ConnectionSnapshot:
    """A connection as adapters see it, credentials decrypted."""
    id: uuid.UUID
    agency_id: uuid.UUID
    property_id: uuid.UUID | None
    platform_type: str
    platform_listing_id: str | None
    status: str
    platform_metadata: dict = field(default_factory=dict)
    access_token: str | None = None
    refresh_token: str | None = None
    ical_import_url: str | None = None


@dataclass(frozen=True)
class AvailabilityRange:
    """Consecutive days [start, end) that are all open or all closed."""
    start: date
    end: date
    available: bool


@dataclass(frozen=True)
class RateRange:
    """Consecutive days [start, end) with the same nightly rate and minimum stay."""
    start: date
    end: date
    nightly_rate: Decimal
    min_stay: int


@dataclass(frozen=True)
class Reservation:
    """A stay the channel reports: from its API or an iCal event."""
    external_uid: str
    start: date
    end: date
    summary: str = ""
    is_block: bool = False  # "Not available" windows, not guest bookings


@dataclass(frozen=True)
class TestResult:
    healthy: bool
    message: str
    details: dict


@dataclass
class CallStats:
    """What an operation did on the wire, recorded in the log's details."""
    calls: int = 0
    http_status: int | None = None
    duration_ms: float = 0.0

    def as_details(self) -> dict:
        details = {"calls": self.calls, "duration_ms": round(self.duration_ms, 1)}
        if self.http_status is not None:
            details["http_status"] = self.http_status
        return details


class ChannelError(Exception):
    """A failed attempt; `retryable` decides whether the engine tries again, `label` prefixes
    the final error ("<label> after 3 retries: ...") and `error_type` goes into the log's details.
    Subclasses set them as class keywords: `class ChannelTimeout(ChannelError, error_type=...)`."""
    error_type = "channel_error"
    label = "Channel error"
    retryable = True

    def __init_subclass__(cls, *, error_type: str, label: str, retryable: bool = True, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.error_type, cls.label, cls.retryable = error_type, label, retryable

    def __init__(self, message: str, *, http_status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.retry_after = retry_after

    def log_details(self) -> dict:
        """What the failed log's details record about this error besides its type."""
        return {}


class ChannelTimeout(ChannelError, error_type="channel_timeout", label="Channel timeout"):
    pass


class ChannelRateLimited(ChannelError, error_type="channel_rate_limited", label="Channel rate limited"):
    pass


class ChannelBadResponse(ChannelError, error_type="channel_bad_response", label="Malformed channel response"):
    """The channel answered with a body we cannot read (a proxy page, truncated JSON)."""


class ChannelResponseTooLarge(ChannelError, error_type="channel_response_too_large",
                              label="Channel answer too large", retryable=False):
    """The answer exceeds CHANNELS_MAX_FEED_BYTES; asking again brings the same answer."""


class ChannelRejected(ChannelError, error_type="channel_rejected", label="Channel rejected the request",
                      retryable=False):
    """A 4xx other than 429: our request is wrong; repeating it cannot help."""


class ChannelNotConfigured(ChannelError, error_type="channel_not_configured", label="Channel not configured",
                           retryable=False):
    """Missing credentials, a switched-off platform or an unusable connection."""


class SyncValidationError(ChannelError, error_type="validation_error", label="Sync validation failed",
                          retryable=False):
    """The operation cannot run with the data we have (no property, suspicious feed)."""


class FeedShrank(ChannelError, error_type="feed_shrank", label="Suspicious iCal feed", retryable=False):
    """A feed that suddenly lost (nearly) all upcoming events: a broken export, not mass cancellations.
    Nothing is released until an operator confirms the import (`confirm_feed_shrink`)."""

    def __init__(self, upcoming_events: int, held_events: int):
        super().__init__(f"Suspicious iCal feed: it lists {upcoming_events} upcoming events but {held_events} are "
                         "held from it. Nothing was released. Check the channel's feed, then re-run the bookings "
                         "sync with confirm_feed_shrink=true to accept it.")
        self.upcoming_events, self.held_events = upcoming_events, held_events

    def log_details(self) -> dict:
        return {"feed_shrink": {"upcoming_events": self.upcoming_events, "held_events": self.held_events}}


class ChannelAdapter(ABC):
    """One implementation per way of talking to a channel (mock, HTTP API)."""
    mock_mode = False

    def __init__(self, connection: ConnectionSnapshot, idempotency_key: str = ""):
        self.connection = connection
        self.idempotency_key = idempotency_key
        self.stats = CallStats()

    @abstractmethod
    def test_connection(self) -> TestResult: ...

    @abstractmethod
    def push_availability(self, ranges: list[AvailabilityRange]) -> dict: ...

    @abstractmethod
    def push_rates(self, ranges: list[RateRange], currency: str) -> dict: ...

    @abstractmethod
    def fetch_reservations(self, start: date, end: date) -> list[Reservation]: ...
