"""How channel data is shown: batch card states, log grouping, parsed details, durations, labels.

Pure functions without database access; templates get them as globals.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from app.channels.models import ACTIVE_SYNC_STATUSES
from app.channels.platforms import PLATFORM_DEFINITIONS

OPERATION_LABELS = {"availability_update": "Availability", "pricing_update": "Pricing",
                    "bookings_sync": "Bookings"}
SYNC_TYPE_LABELS = {"full": "Full", "availability": "Availability", "pricing": "Pricing", "bookings": "Bookings"}
# Overall state of a batch card -> (badge colour, label); spec 40 "Sync Logs" batch cards.
BATCH_STATES = {"success": ("green", "Success"), "failed": ("red", "Failed"), "running": ("blue", "Running"),
                "pending": ("gray", "Pending"), "unknown": ("gray", "Unknown")}


def batch_state(counts: dict) -> str:
    """Failed if any failed; Running once any operation started; Pending while all wait; Success when all did."""
    if counts.get("failed"):
        return "failed"
    if counts.get("running") or (counts.get("triggered") and counts.get("success")):
        return "running"
    if counts.get("triggered"):
        return "pending"
    if counts.get("success") and not counts.get("other"):
        return "success"
    return "unknown"


def is_active(status: str) -> bool:
    return status in ACTIVE_SYNC_STATUSES


def batch_is_active(counts: dict) -> bool:
    return bool(counts.get("triggered") or counts.get("running"))


@dataclass
class LogCard:
    """Logs of one batch on the current page (or a single log without a batch)."""
    batch_id: uuid.UUID | None
    logs: list = field(default_factory=list)
    summary: object | None = None  # BatchSummary of the whole batch, when batched

    @property
    def state(self) -> str:
        if self.summary is not None:
            return batch_state(self.summary.status_counts)
        return batch_state(status_counts(self.logs))

    @property
    def total(self) -> int:
        return self.summary.total if self.summary is not None else len(self.logs)

    @property
    def filtered(self) -> bool:
        return len(self.logs) < self.total

    @property
    def active(self) -> bool:
        return self.state in ("running", "pending")

    @property
    def newest_at(self) -> datetime:
        return max(log.updated_at or log.created_at for log in self.logs)


def status_counts(logs) -> dict:
    counts = {"triggered": 0, "running": 0, "success": 0, "failed": 0, "other": 0}
    for log in logs:
        bucket = "triggered" if log.status in ("triggered", "queued") else log.status
        counts[bucket if bucket in counts else "other"] += 1
    return counts


def operation_order(operation_type: str) -> int:
    """Availability, pricing, bookings (the order of a full sync), then anything else."""
    order = list(OPERATION_LABELS)
    return order.index(operation_type) if operation_type in order else len(order)


def ordered_operations(operations: list[dict]) -> list[dict]:
    return sorted(operations, key=lambda op: operation_order(op["operation_type"]))


def group_logs(logs, summaries: dict) -> list[LogCard]:
    """Cards in the order of the newest log of each batch; inside a card in full-sync order."""
    cards: dict = {}
    for log in logs:
        key = log.batch_id or log.id
        if key not in cards:
            cards[key] = LogCard(log.batch_id, summary=summaries.get(log.batch_id))
        cards[key].logs.append(log)
    for card in cards.values():
        card.logs.sort(key=lambda log: operation_order(log.operation_type))
    return list(cards.values())


def parse_details(value):
    """Details as data: JSON strings (even double-encoded) are decoded, recursively."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "[", '"'):
            try:
                return parse_details(json.loads(text))
            except ValueError:
                return value
        return value
    if isinstance(value, dict):
        return {key: parse_details(item) for key, item in value.items()}
    if isinstance(value, list):
        return [parse_details(item) for item in value]
    return value


def pretty_json(value) -> str:
    return json.dumps(parse_details(value), indent=2, sort_keys=True, ensure_ascii=False, default=str)


def duration_text(log) -> str:
    """started -> finished, else created -> updated for final logs; "—" while unknown."""
    start, end = log.started_at, log.finished_at
    if not (start and end) and not is_active(log.status):
        start, end = log.created_at, log.updated_at
    if not (start and end):
        return "—"
    return seconds_text((end - start).total_seconds())


def seconds_text(seconds: float) -> str:
    seconds = max(seconds, 0)
    if seconds < 10:
        return f"{seconds:.1f}s"
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, rest = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {rest}s"
    hours = minutes // 60
    if hours < 48:
        return f"{hours}h {minutes % 60}m"
    return f"{hours // 24}d {hours % 24}h"


def age_text(moment: datetime | None) -> str:
    """"3 min ago" style; "Never" when there is no moment."""
    if moment is None:
        return "Never"
    return seconds_text((datetime.now(timezone.utc) - moment).total_seconds()) + " ago"


def as_datetime(value) -> datetime | None:
    """Timestamps inside aggregated JSON (batch operations) arrive as ISO strings."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def platform_label(name: str) -> str:
    definition = PLATFORM_DEFINITIONS.get(name)
    return definition.label if definition else name


def operation_label(name: str) -> str:
    return OPERATION_LABELS.get(name, name.replace("_", " ").capitalize())


def property_options(properties) -> list[tuple[str, str]]:
    return [(str(p.id), f"{p.name} ({p.internal_name})" if p.internal_name else p.name) for p in properties]


def sync_type_options(sync_types) -> list[tuple[str, str]]:
    return [(value, SYNC_TYPE_LABELS[value]) for value in sync_types]


def connection_test_badges(details: dict) -> list[tuple[str, str]]:
    """(colour, label) badges of a connection test: mock mode or missing credentials (runbook)."""
    badges = []
    if details.get("mock_mode") or details.get("simulated"):
        badges.append(("blue", "Mock Mode (Simulated)"))
    if details.get("error_code") == "CREDENTIALS_MISSING":
        badges.append(("yellow", "Not Configured"))
    return badges


# How a decided overbooking conflict reads in the list.
CONFLICT_STATUS_LABELS = {"accepted": "Channel booking accepted", "resolved_on_channel": "Resolved on channel",
                          "ignored": "Ignored", "cleared": "Cleared by import"}

TEMPLATE_HELPERS = {
    "batch_state": batch_state, "batch_states": BATCH_STATES, "is_active_status": is_active,
    "duration_text": duration_text, "age_text": age_text, "platform_label": platform_label,
    "operation_label": operation_label, "operation_labels": OPERATION_LABELS,
    "sync_type_labels": SYNC_TYPE_LABELS, "sync_type_options": sync_type_options, "pretty_json": pretty_json,
    "platform_options": [(name, definition.label) for name, definition in PLATFORM_DEFINITIONS.items()],
    "property_options": property_options,
    "connection_test_badges": connection_test_badges, "as_datetime": as_datetime,
    "ordered_operations": ordered_operations, "CONFLICT_STATUS_LABELS": CONFLICT_STATUS_LABELS,
}
