"""What outbound syncs push: availability and rates per day, coalesced into ranges.

Availability is derived from active `inventory_ranges` only (read through the
inventory service, never written); consecutive equal days become one range, so a 90-day window is a
handful of ranges rather than 90 values. Rates are the pricing engine's effective rate and minimum
stay per date; only the dates whose values differ from what the connection's last successful push
sent (`channel_rates`) go out, so a full sync after a season edit sends a few ranges, not 365 days.
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from app.channels.adapters.base import AvailabilityRange, RateRange
from app.channels.models import ChannelRate
from app.extensions import db
from app.inventory import service as inventory
from app.inventory.models import Property
from app.pricing import engine
from app.pricing import service as pricing


def availability_ranges(occupied: list[tuple[date, date]], start: date, end: date) -> list[AvailabilityRange]:
    """Split [start, end) into alternating open/closed ranges; closed = covered by `occupied`."""
    closed: list[list[date]] = []
    for occ_start, occ_end in sorted(occupied):
        occ_start, occ_end = max(occ_start, start), min(occ_end, end)
        if occ_start >= occ_end:
            continue
        if closed and occ_start <= closed[-1][1]:
            closed[-1][1] = max(closed[-1][1], occ_end)
        else:
            closed.append([occ_start, occ_end])
    ranges, cursor = [], start
    for closed_start, closed_end in closed:
        if cursor < closed_start:
            ranges.append(AvailabilityRange(cursor, closed_start, True))
        ranges.append(AvailabilityRange(closed_start, closed_end, False))
        cursor = closed_end
    if cursor < end:
        ranges.append(AvailabilityRange(cursor, end, True))
    return ranges


def property_availability(agency_id: uuid.UUID, property_id: uuid.UUID, start: date, end: date):
    occupied = inventory.list_active_ranges(agency_id, inventory.Stay(start, end), [property_id])
    return availability_ranges([(r.start_date, r.end_date) for r in occupied], start, end)


def rate_ranges(days: list[tuple[date, Decimal, int]]) -> list[RateRange]:
    """Coalesce consecutive days with equal (rate, min stay) into ranges."""
    ranges: list[RateRange] = []
    for day, rate, min_stay in days:
        last = ranges[-1] if ranges else None
        if last and last.end == day and last.nightly_rate == rate and last.min_stay == min_stay:
            ranges[-1] = RateRange(last.start, day + timedelta(days=1), rate, min_stay)
        else:
            ranges.append(RateRange(day, day + timedelta(days=1), rate, min_stay))
    return ranges


def changed_rates(connection_id: uuid.UUID, prop: Property, start: date, end: date) -> list[tuple[date, Decimal, int]]:
    """The engine's (date, rate, min stay) in [start, end) that differ from what the connection last got."""
    effective = engine.effective_rates(pricing.pricing_of(prop, start, end), start, end)
    pushed = {row.date: (row.nightly_rate, row.min_stay) for row in db.session.scalars(
        select(ChannelRate).where(ChannelRate.connection_id == connection_id, ChannelRate.date >= start,
                                  ChannelRate.date < end))}
    return [(day.date, day.nightly_rate, day.min_stay_nights) for day in effective
            if pushed.get(day.date) != (day.nightly_rate, day.min_stay_nights)]


def record_pushed_rates(connection_id: uuid.UUID, days: list[tuple[date, Decimal, int]]) -> None:
    """Remember what the channel now has (commits with the push, so a failed push is sent again)."""
    if not days:
        return
    rows = [{"connection_id": connection_id, "date": day, "nightly_rate": rate, "min_stay": min_stay}
            for day, rate, min_stay in days]
    statement = insert(ChannelRate).values(rows)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["connection_id", "date"],
        set_={"nightly_rate": statement.excluded.nightly_rate, "min_stay": statement.excluded.min_stay,
              "pushed_at": statement.excluded.pushed_at}))
