"""The occupancy chart read model: every property of the agency as a row, the days of a window as
columns, and what occupies them as bars (bookings, blocks, channel holds, overbooking conflicts).

Two statements whatever the number of properties: the page of properties, each
with its labelled ranges (calendar.labelled_ranges) aggregated to one JSON
array, and the open overbooking conflicts. Thousands of bars are
built from plain JSON rather than ORM rows: 200 properties x 60 days is the
case `python -m bench occupancy` measures. Read-only.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.extensions import db
from app.inventory.models import Property
from app.inventory.service.calendar import (
    OverbookingConflict, item_label, labelled_ranges, overbooking_conflicts, source_label,
)
from app.inventory.service.ranges import Stay

WINDOW_DAYS = (14, 30, 60)
CHART_PAGE_SIZE = 200


class ChartBar(NamedTuple):
    """Something occupying days of a row, ready to draw: where it sits (`grid`: first day column,
    1-based, and the days shown), its classes (kind; runs on before or after the window), the words
    on it and in its tooltip, and the booking or block it opens. A tuple: the template unpacks
    thousands of them."""
    kind: str
    start: date
    grid: str
    classes: str
    text: str
    title: str
    opens: str | None = None


@dataclass
class ChartRow:
    property_id: uuid.UUID
    name: str
    is_active: bool
    bars: list[ChartBar] = field(default_factory=list)
    conflicts: list[ChartBar] = field(default_factory=list)


@dataclass(frozen=True)
class OccupancyChart:
    start: date
    days: int
    rows: list[ChartRow]
    total: int
    offset: int
    limit: int

    @property
    def window(self) -> Stay:
        return Stay(self.start, self.start + timedelta(days=self.days))

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=self.days)

    @property
    def next_start(self) -> date:
        return self.start + timedelta(days=self.days)

    @property
    def conflict_count(self) -> int:
        return sum(len(row.conflicts) for row in self.rows)


def placed(kind: str, start: date, end: date, window: Stay, text: str, title: str,
           opens: str | None = None) -> ChartBar:
    """A bar for [start, end) clipped to the window."""
    first, last = max(start, window.start), min(end, window.end)
    classes = f"kind-{kind}{' runs-before' if start < first else ''}{' runs-after' if end > last else ''}"
    return ChartBar(kind, start, f"{(first - window.start).days + 1} / span {(last - first).days}", classes, text,
                    title, opens)


def range_bar(entry: dict, window: Stay) -> ChartBar:
    """A bar of one labelled range as the chart query aggregates it (JSON: ids and dates are text)."""
    kind, start, end = entry["kind"], date.fromisoformat(entry["start"]), date.fromisoformat(entry["end"])
    text = item_label(kind, entry["guest"], entry["reason"], entry["platform"])
    if kind == "booking":
        source, status = source_label(entry["source"]), entry["status"]
        text += (f" · {source}" if source else "") + (f" · {status.replace('_', ' ')}" if status != "confirmed" else "")
    return placed(kind, start, end, window, text, f"{text}: {start} → {end}",
                  entry["source_id"] if kind in ("booking", "block") else None)


def conflict_bar(conflict: OverbookingConflict, window: Stay) -> ChartBar:
    what = conflict.summary or conflict.uid
    reason = f" ({conflict.reason})" if conflict.reason else ""
    return placed("conflict", conflict.start_date, conflict.end_date, window, f"Conflict: {what}",
                  f"Overbooking conflict: {what}: {conflict.start_date} → {conflict.end_date}{reason}")


def chart_query(agency_id: uuid.UUID, window: Stay, offset: int, limit: int):
    """One row per property of the page (by name) with its ranges as a JSON array by start date."""
    page = (select(Property.id, Property.name, Property.is_active, func.count().over().label("total"))
            .where(Property.agency_id == agency_id, Property.deleted_at.is_(None))
            .order_by(Property.name, Property.id).limit(limit).offset(offset).cte("page"))
    item = labelled_ranges(agency_id, window).subquery("item")
    entry = func.json_build_object(
        "kind", item.c.kind, "start", item.c.start_date, "end", item.c.end_date, "source_id", item.c.source_id,
        "guest", item.c.guest_name, "reason", item.c.reason, "status", item.c.booking_status,
        "source", item.c.booking_source, "platform", item.c.platform_type)
    bars = func.json_agg(aggregate_order_by(entry, item.c.start_date)).filter(item.c.kind.is_not(None))
    return (select(page.c.id, page.c.name, page.c.is_active, page.c.total, bars.label("bars"))
            .outerjoin(item, item.c.property_id == page.c.id)
            .group_by(page.c.id, page.c.name, page.c.is_active, page.c.total).order_by(page.c.name, page.c.id))


def occupancy_chart(agency_id: uuid.UUID, start: date, days: int, offset: int = 0) -> OccupancyChart:
    """One page (CHART_PAGE_SIZE) of the agency's properties, by name, with their bars in the `days` from `start`."""
    limit, window = CHART_PAGE_SIZE, Stay(start, start + timedelta(days=days))
    records = db.session.execute(chart_query(agency_id, window, offset, limit)).all()
    rows = {record.id: ChartRow(record.id, record.name, record.is_active,
                                [range_bar(entry, window) for entry in record.bars or ()]) for record in records}
    for conflict in overbooking_conflicts(agency_id, list(rows), window) if rows else []:
        rows[conflict.property_id].conflicts.append(conflict_bar(conflict, window))
    return OccupancyChart(start, days, list(rows.values()), records[0].total if records else 0, offset, limit)
