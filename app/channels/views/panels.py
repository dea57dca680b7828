"""Context of the connection detail and its panels (Sync Logs, Sync History), built from request args.

The logs panel polls only while something can still change: every
CHANNELS_LOGS_ACTIVE_POLL_SECONDS while a card it shows is active, every
CHANNELS_LOGS_POLL_SECONDS while only work it does not show (another page or
filter) is active, and not at all once everything is final.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from flask import current_app, url_for
from werkzeug.datastructures import MultiDict

from app.channels import service
from app.channels.models import DIRECTIONS, SYNC_STATUSES
from app.channels.service.batches import BATCH_STATUS_FILTERS
from app.channels.service.conflicts import open_conflict_counts
from app.channels.views.presenters import OPERATION_LABELS, group_logs, is_active
from app.web.auth import current_agency_id

LOG_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 20
LOG_STATUS_FILTERS = SYNC_STATUSES[:5] + ("active",)


def checked(args: MultiDict, name: str, default: bool = True) -> bool:
    """A checkbox sent with a hidden "0" companion: absent = default, else on when a "1" was sent."""
    values = args.getlist(name)
    return "1" in values if values else default


def offset_arg(args: MultiDict, name: str = "offset") -> int:
    raw = args.get(name, "")
    return int(raw) if raw.isdigit() else 0


def pick(args: MultiDict, name: str, allowed) -> str:
    """The argument when it is one of the allowed values, else "" (unknown filters are ignored)."""
    value = args.get(name, "")
    return value if value in allowed else ""


def parse_uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID((raw or "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class LogFilters:
    status: str = ""
    operation_type: str = ""
    direction: str = ""
    q: str = ""
    offset: int = 0
    auto: bool = True
    expanded: frozenset = field(default_factory=frozenset)

    @classmethod
    def from_args(cls, args: MultiDict) -> LogFilters:
        expanded = frozenset(filter(None, (parse_uuid(value) for value in args.getlist("expanded"))))
        return cls(status=pick(args, "status", LOG_STATUS_FILTERS),
                   operation_type=pick(args, "operation_type", OPERATION_LABELS),
                   direction=pick(args, "direction", DIRECTIONS), q=args.get("q", "").strip()[:200],
                   offset=offset_arg(args), auto=checked(args, "auto"), expanded=expanded)

    def query(self) -> dict:
        """Service keyword arguments."""
        return {name: getattr(self, name) or None for name in ("status", "operation_type", "direction", "q")}

    def url_args(self, **changes) -> dict:
        """URL arguments that reproduce this view (expansion travels with the poll request instead)."""
        values = {**asdict(self), **changes}
        values.pop("expanded")
        values["auto"] = "1" if values["auto"] else "0"
        return {key: value for key, value in values.items() if value not in ("", 0, None)}


def logs_panel(connection_id: uuid.UUID, args: MultiDict) -> dict:
    """The Sync Logs panel: one page of logs grouped into batch cards, and how often to refresh it."""
    agency_id = current_agency_id()
    filters = LogFilters.from_args(args)
    page = service.list_sync_logs(agency_id, connection_id, limit=LOG_PAGE_SIZE, offset=filters.offset,
                                  **filters.query())
    summaries = service.batch_summaries(connection_id, [log.batch_id for log in page.logs if log.batch_id])
    cards = group_logs(page.logs, summaries)
    interval = None
    if filters.auto:
        config = current_app.config
        if any(card.active for card in cards) or any(is_active(log.status) for log in page.logs):
            interval = config["CHANNELS_LOGS_ACTIVE_POLL_SECONDS"]
        elif service.has_active_logs(connection_id):
            interval = config["CHANNELS_LOGS_POLL_SECONDS"]

    def page_url(offset: int) -> str:
        return url_for("channels.sync_log_list", connection_id=connection_id, **filters.url_args(offset=offset))

    # A poll sent while live that finds everything final tells the page (Sync History refreshes).
    live = {"live": 1} if interval else {}
    return {"connection_id": connection_id, "page": page, "cards": cards, "filters": filters,
            "interval": interval, "page_url": page_url,
            "poll_url": url_for("channels.sync_log_list", connection_id=connection_id, **filters.url_args(), **live)}


def history_panel(connection_id: uuid.UUID, args: MultiDict) -> dict:
    """The Sync History panel: 20 batches per page, filtered by batch status (not polled)."""
    status = pick(args, "history_status", BATCH_STATUS_FILTERS) or "any"
    offset = offset_arg(args, "history_offset")
    batches = service.list_sync_batches(current_agency_id(), connection_id, status=status,
                                        limit=HISTORY_PAGE_SIZE + 1, offset=offset)

    def page_url(new_offset: int) -> str:
        return url_for("channels.sync_history", connection_id=connection_id, history_status=status,
                       history_offset=new_offset)

    return {"connection_id": connection_id, "batches": batches[:HISTORY_PAGE_SIZE], "history_status": status,
            "history_offset": offset, "has_next": len(batches) > HISTORY_PAGE_SIZE, "history_page_url": page_url,
            "history_statuses": tuple(BATCH_STATUS_FILTERS), "page_size": HISTORY_PAGE_SIZE}


def detail_context(connection_id: uuid.UUID, args: MultiDict) -> dict:
    """Everything the connection detail shows (page or dialog)."""
    agency_id = current_agency_id()
    return {"view": service.get_connection(agency_id, connection_id),
            "open_conflicts": open_conflict_counts(agency_id, connection_id).get(connection_id, 0),
            "properties": service.property_choices(agency_id),
            "logs": logs_panel(connection_id, args), "history": history_panel(connection_id, args)}
