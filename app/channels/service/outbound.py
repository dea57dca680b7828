"""What outbound syncs push: availability and rates per day, coalesced into ranges.

Availability is derived from active `inventory_ranges` only (read through the
inventory service, never written); consecutive equal days become one range, so a 90-day window is a
handful of ranges rather than 90 values.
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.channels.adapters.base import AvailabilityRange, RateRange
from app.channels.models import ChannelRate
from app.extensions import db
from app.inventory import service as inventory
from app.inventory.models import Property


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


def property_rates(prop: Property, start: date, end: date) -> list[RateRange]:
    """Nightly rate and minimum stay per day: per-date overrides, else the property's base values."""
    overrides = {rate.date: rate for rate in db.session.scalars(
        select(ChannelRate).where(ChannelRate.property_id == prop.id, ChannelRate.date >= start,
                                  ChannelRate.date < end))}
    days = []
    for offset in range((end - start).days):
        day = start + timedelta(days=offset)
        override = overrides.get(day)
        rate = override.nightly_rate if override else prop.base_nightly_rate
        min_stay = (override.min_stay if override and override.min_stay else None) or prop.min_stay_nights
        days.append((day, Decimal(rate), min_stay))
    return rate_ranges(days)
