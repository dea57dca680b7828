"""The occupancy chart read model: every property of the agency as a row, the days of a window as
columns, and what occupies them as bars (bookings, blocks, channel holds, overbooking conflicts).

One statement whatever the number of properties: the page of properties, each
with its bars shaped by the database, ready to draw (first column and span,
classes, label, dates, what the bar opens) and aggregated to one JSON array per
row, so no Python runs per bar; the template only places them. The page's
ranges are found through the exclusion constraint's GiST index (property, date
range), so the cost follows the bars shown, not the agency's history: PostgreSQL
probes it once per property when other agencies' ranges fill the window and
scans the window once when they do not (plans checked with 31 agencies and
165,000 ranges). Free days
are not part of the answer: the chart draws them as the background of each row.
200 properties x 60 days is the case `python -m bench occupancy` measures. Read-only.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from flask import current_app
from sqlalchemy import Date, Integer, Select, Uuid, bindparam, case, func, literal, null, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.extensions import db
from app.inventory.models import InventoryRange, Property
from app.inventory.service.calendar import BLOCK_LABEL, labelled_ranges
from app.inventory.service.channel_reads import channel_reads, platform_labels
from app.inventory.service.ranges import Stay

WINDOW_DAYS = (14, 30, 60)
CHART_PAGE_SIZE = 200


@dataclass(frozen=True)
class ChartRow:
    """A property with its bars, each a list [kind, column, span, classes, text, start, end, opens]:
    the first day column (1-based) and the days shown, its classes (kind; runs on before or after the
    window), the label, its dates (ISO), and the booking or block id it opens (a conflict's reason
    instead)."""
    property_id: uuid.UUID
    name: str
    is_active: bool
    bars: list[list]
    conflicts: list[list]


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


def joined(*parts):
    """The parts joined with `||`: for thousands of bars PostgreSQL evaluates it much faster than the
    variadic concat(); a null part makes the whole null, so callers pass none."""
    return reduce(lambda left, right: left.op("||")(right),
                  [literal(part) if isinstance(part, str) else part for part in parts])


def placed(kind, start, end, window: Stay, text, opens=None):
    """A bar for [start, end) clipped to the window as the JSON array the template draws (see ChartRow)."""
    window_start, window_end = window.start, window.end
    first = func.greatest(start, window_start)
    classes = joined("kind-", kind, case((start < window_start, " runs-before"), else_=""),
                     case((end > window_end, " runs-after"), else_=""))
    return func.json_build_array(kind, first - window_start + 1, func.least(end, window_end) - first, classes,
                                 text, start, end, opens)


def named(column, labels: Mapping[str, str], otherwise):
    """`labels[column]` in SQL, `otherwise` for a value it does not name."""
    return case(labels, value=column, else_=otherwise) if labels else otherwise


def range_text(item, labels: Mapping[str, str]):
    """What a bar says: guest (source, status unless confirmed) for bookings, the reason for blocks,
    the platform for channel holds (`item`: the columns of `labelled_ranges`)."""
    spaced_source = func.replace(item.booking_source, "_", " ")
    source = named(item.booking_source, labels,
                   joined(func.upper(func.left(spaced_source, 1)), func.lower(func.substr(spaced_source, 2))))
    booking = joined(
        func.coalesce(item.guest_name, "Booking"),
        case((func.coalesce(item.booking_source, "direct") == "direct", ""), else_=joined(" · ", source)),
        case((func.coalesce(item.booking_status, "confirmed") == "confirmed", ""),
             else_=joined(" · ", func.replace(item.booking_status, "_", " "))))
    return case((item.kind == "booking", booking), (item.kind == "block", func.coalesce(item.reason, BLOCK_LABEL)),
                else_=joined(named(item.platform_type, labels, "Channel"), " hold"))


def range_bars(agency_id: uuid.UUID, window: Stay, properties):
    """The bars of the ranges of the `properties` (a select of ids), one row per property: `property_id`
    and `bars`, a JSON array by start date."""
    ranges = labelled_ranges(agency_id, window).where(InventoryRange.property_id.in_(properties))
    item = ranges.selected_columns
    opens = case((item.kind.in_(("booking", "block")), item.source_id))
    entry = placed(item.kind, item.start_date, item.end_date, window, range_text(item, platform_labels()), opens)
    return (ranges.with_only_columns(item.property_id, func.json_agg(aggregate_order_by(entry, item.start_date))
                                     .label("bars"))
            .group_by(item.property_id).subquery("range_bars"))


def conflict_bars(agency_id: uuid.UUID, window: Stay, properties):
    """The bars of the open overbooking conflicts of the `properties`, one row per property: `property_id`
    and `bars` (None without the channel manager); the template words their tooltips."""
    reads = channel_reads()
    if reads is None:
        return None
    conflicts = reads.open_conflicts(agency_id, window)
    conflict = conflicts.selected_columns
    what = func.coalesce(func.nullif(conflict.summary, ""), conflict.external_uid)
    entry = placed(literal("conflict"), conflict.start_date, conflict.end_date, window, what,
                   func.nullif(conflict.reason, ""))
    return (conflicts.where(conflict.property_id.in_(properties))
            .with_only_columns(conflict.property_id, func.json_agg(aggregate_order_by(entry, conflict.start_date))
                               .label("bars"))
            .group_by(conflict.property_id).subquery("conflict_bars"))


def chart_query(agency_id, window: Stay, offset, limit) -> Select:
    """One row per property of the page (by name) with its range bars and conflict bars: each kind of
    bar aggregated once for the whole page and joined by property (a grouped join costs a fraction of
    a subquery per property)."""
    page = (select(Property.id, Property.name, Property.is_active, func.count().over().label("total"))
            .where(Property.agency_id == agency_id, Property.deleted_at.is_(None))
            .order_by(Property.name, Property.id).limit(limit).offset(offset).cte("page"))
    page_ids = select(page.c.id)
    ranges, conflicts = range_bars(agency_id, window, page_ids), conflict_bars(agency_id, window, page_ids)
    query = (select(page.c.id, page.c.name, page.c.is_active, page.c.total, ranges.c.bars)
             .outerjoin(ranges, ranges.c.property_id == page.c.id).order_by(page.c.name, page.c.id))
    if conflicts is None:
        return query.add_columns(null().label("conflicts"))
    return (query.add_columns(conflicts.c.bars.label("conflicts"))
            .outerjoin(conflicts, conflicts.c.property_id == page.c.id))


# The chart's statement is built once per app with these parameters (its shape depends only on what the
# mounted modules lend), so a request spends no time building a large SQL expression.
STATEMENT = "inventory.occupancy_chart.statement"
AGENCY, OFFSET, LIMIT = bindparam("agency_id", type_=Uuid), bindparam("offset", type_=Integer), \
    bindparam("limit", type_=Integer)
WINDOW = Stay(bindparam("window_start", type_=Date), bindparam("window_end", type_=Date))


def chart_statement() -> Select:
    statement = current_app.extensions.get(STATEMENT)
    if statement is None:
        statement = current_app.extensions[STATEMENT] = chart_query(AGENCY, WINDOW, OFFSET, LIMIT)
    return statement


def occupancy_chart(agency_id: uuid.UUID, start: date, days: int, offset: int = 0) -> OccupancyChart:
    """One page (CHART_PAGE_SIZE) of the agency's properties, by name, with their bars in the `days` from `start`."""
    records = db.session.execute(chart_statement(), {
        "agency_id": agency_id, "window_start": start, "window_end": start + timedelta(days=days),
        "offset": offset, "limit": CHART_PAGE_SIZE}).all()
    rows = [ChartRow(record.id, record.name, record.is_active, record.bars or [], record.conflicts or [])
            for record in records]
    return OccupancyChart(start, days, rows, records[0].total if records else 0, offset, CHART_PAGE_SIZE)
