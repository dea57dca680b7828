"""The occupancy chart read model: every property of the agency as a row, the days of a window as
columns, and what occupies them as bars (bookings, blocks, channel holds, overbooking conflicts).

Two statements whatever the number of properties: the page of properties with
their labelled ranges (calendar.labelled_ranges, joined), and the conflicts of
the newest feed imports. Read-only.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.inventory.models import Property
from app.inventory.service.calendar import (
    CalendarItem, OverbookingConflict, calendar_item, labelled_ranges, overbooking_conflicts,
)
from app.inventory.service.ranges import Stay

WINDOW_DAYS = (14, 30, 60)
CHART_PAGE_SIZE = 200


@dataclass(frozen=True)
class ChartBar:
    """Something occupying days of a row: where it sits in the window (1-based day column and the
    number of days shown) and whether it runs on before or after the window."""
    item: CalendarItem | OverbookingConflict
    column: int
    span: int
    runs_before: bool
    runs_after: bool

    @property
    def kind(self) -> str:
        return "conflict" if isinstance(self.item, OverbookingConflict) else self.item.range.kind


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


def placed(item, start: date, end: date, window: Stay) -> ChartBar:
    """A bar for [start, end) clipped to the window."""
    first, last = max(start, window.start), min(end, window.end)
    return ChartBar(item, (first - window.start).days + 1, (last - first).days, start < window.start,
                    end > window.end)


def occupancy_chart(agency_id: uuid.UUID, start: date, days: int, offset: int = 0) -> OccupancyChart:
    """One page (CHART_PAGE_SIZE) of the agency's properties, by name, with their bars in the `days` from `start`."""
    limit, window = CHART_PAGE_SIZE, Stay(start, start + timedelta(days=days))
    page = (select(Property.id, Property.name, Property.is_active, func.count().over().label("total"))
            .where(Property.agency_id == agency_id, Property.deleted_at.is_(None))
            .order_by(Property.name, Property.id).limit(limit).offset(offset).cte("page"))
    item = labelled_ranges(agency_id, window).subquery("item")
    query = (select(page, item).outerjoin(item, item.c.property_id == page.c.id)
             .order_by(page.c.name, page.c.id, item.c.start_date))
    rows: dict[uuid.UUID, ChartRow] = {}
    total = 0
    for record in db.session.execute(query):
        row = rows.get(record.id)
        if row is None:
            row = rows[record.id] = ChartRow(record.id, record.name, record.is_active)
            total = record.total
        if record.kind is not None:
            row.bars.append(placed(calendar_item(record), record.start_date, record.end_date, window))
    for conflict in overbooking_conflicts(agency_id, list(rows), window) if rows else []:
        rows[conflict.property_id].conflicts.append(placed(conflict, conflict.start_date, conflict.end_date, window))
    return OccupancyChart(start, days, list(rows.values()), total, offset, limit)
