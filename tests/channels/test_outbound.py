"""What pushes send: availability and rates coalesced into ranges (pure functions, property-based)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.channels.service.outbound import availability_ranges, rate_ranges

START = date(2031, 1, 1)
END = START + timedelta(days=90)


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def test_availability_ranges_coalesce_and_clip():
    ranges = availability_ranges([(day(-5), day(2)), (day(10), day(12)), (day(12), day(15)), (day(80), day(120))],
                                 START, END)
    assert [(r.start, r.end, r.available) for r in ranges] == [
        (day(0), day(2), False), (day(2), day(10), True), (day(10), day(15), False), (day(15), day(80), True),
        (day(80), END, False)]
    assert [(r.start, r.end, r.available) for r in availability_ranges([], START, END)] == [(START, END, True)]


occupied = st.lists(st.tuples(st.integers(-20, 110), st.integers(1, 30)).map(lambda t: (day(t[0]), day(t[0] + t[1]))),
                    max_size=12)


@given(occupied)
def test_availability_ranges_cover_the_window_day_by_day(stays):
    ranges = availability_ranges(stays, START, END)
    assert ranges[0].start == START and ranges[-1].end == END
    assert all(a.end == b.start and a.available != b.available for a, b in zip(ranges, ranges[1:]))
    for offset in range(90):
        current = day(offset)
        closed = any(start <= current < end for start, end in stays)
        [covering] = [r for r in ranges if r.start <= current < r.end]
        assert covering.available is not closed


def test_rate_ranges_merge_equal_consecutive_days():
    days = [(day(i), Decimal("100.00"), 2) for i in range(5)] + [(day(5), Decimal("150.00"), 2),
                                                                  (day(6), Decimal("150.00"), 3)]
    assert [(r.start, r.end, r.nightly_rate, r.min_stay) for r in rate_ranges(days)] == [
        (day(0), day(5), Decimal("100.00"), 2), (day(5), day(6), Decimal("150.00"), 2),
        (day(6), day(7), Decimal("150.00"), 3)]
