"""Occupancy chart: every property of the agency as a row with bars for bookings, blocks, channel
holds and conflicts; 14/30/60-day windows, paging, the full page and the htmx fragment, roles,
tenancy and a bounded number of queries."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest

from tests.factories import day, hx
from tests.inventory.test_calendar_views import channel_connection, record_conflict
from tests.inventory.test_views import is_fragment, text


def chart_url(start, days: int = 30, **params) -> str:
    query = "".join(f"&{name}={value}" for name, value in params.items())
    return f"/calendar/occupancy?start={start}&days={days}{query}"


def row_of(body: str, prop) -> str:
    """The chart row of one property, up to the next row."""
    match = re.search(rf'<div class="tape-row" id="occupancy-row-{prop.id}".*?'
                      r'(?=<div class="tape-row"|</div>\s*(?:<nav|<ul))', body, re.S)
    assert match, f"no row for {prop.name}"
    return match.group(0)


def bar(row: str, kind: str) -> str:
    """The opening tag of the row's (first) bar of `kind`."""
    match = re.search(rf'<(?:a|button|span)[^>]* class="tape-bar kind-{kind}[^"]*"[^>]*>', row)
    assert match, f"no {kind} bar"
    return match.group(0)


def day_columns(body: str) -> list[str]:
    """The dates of the chart's day columns (its head)."""
    head = re.search(r'<div class="tape-row tape-head">(.*?)<div class="tape-row"', body, re.S).group(1)
    return re.findall(r'<time class="tape-date[^"]*" datetime="([\d-]+)"', head)


def day_shades(body: str) -> list[str]:
    """How each day column of every row's background is shaded (free, past, weekend)."""
    gradient = re.search(r'--tape-shade: linear-gradient\(90deg(.*?)\)">', body, re.S).group(1)
    return re.findall(r"var\(--tape-(\w+)\)", gradient)


@contextmanager
def counting_statements(app):
    from sqlalchemy import event

    from app.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_rows_with_bars_for_bookings_blocks_holds_and_conflicts(app, logged_in, make_property, make_booking):
    from app.extensions import db
    from app.inventory import service

    client = logged_in("admin")
    haus = make_property(client.user.agency, name="Haus")
    loft = make_property(client.user.agency, name="Loft")
    start = day(10)
    booking = make_booking(haus, start + timedelta(days=2), start + timedelta(days=5),
                           guest=service.GuestDetails("Anna", "Schmidt"), source="airbnb", status="pending")
    connection_id = channel_connection(app, loft)
    with app.app_context():
        block = service.create_block(haus.agency_id, haus.id, service.Stay(start + timedelta(days=8),
                                                                           start + timedelta(days=10)), "Owner stay")
        service.upsert_channel_hold(loft.agency_id, loft.id, connection_id, "uid-1", start - timedelta(days=3),
                                    start + timedelta(days=4))
        db.session.commit()
        block_id = block.id
    conflict_id = record_conflict(app, loft, connection_id, start + timedelta(days=1), start + timedelta(days=3),
                                  "Airbnb (HMX42)")

    body = text(client.get(chart_url(start, 14)))
    assert body.index('id="occupancy-row-' + str(haus.id)) < body.index('id="occupancy-row-' + str(loft.id))
    haus_row, loft_row = row_of(body, haus), row_of(body, loft)
    booking_bar = bar(haus_row, "booking")
    assert f'href="/bookings/{booking.id}"' in booking_bar and "grid-column: 3 / span 3" in booking_bar
    assert ">Anna Schmidt · Airbnb · pending</a>" in haus_row
    block_bar = bar(haus_row, "block")
    assert "grid-column: 9 / span 2" in block_bar and f'hx-get="/blocks/{block_id}/delete"' in block_bar
    assert ">Owner stay</button>" in haus_row
    hold_bar = bar(loft_row, "channel_hold")  # began before the window: clipped to its first column
    assert "runs-before" in hold_bar and "grid-column: 1 / span 4" in hold_bar and "Airbnb hold" in loft_row
    conflict_bar = bar(loft_row, "conflict")
    assert "grid-column: 2 / span 2" in conflict_bar and "Conflict: Airbnb (HMX42)" in loft_row
    assert "kind-conflict" not in haus_row and 'id="occupancy-conflicts"' in body
    assert "1 overbooking conflict</strong>" in body

    from app.channels.models import ChannelConflict

    with app.app_context():  # decided: no longer marked
        db.session.get(ChannelConflict, conflict_id).status = "resolved_on_channel"
        db.session.commit()
    assert "Conflict:" not in text(client.get(chart_url(start, 14)))


def test_what_people_typed_is_escaped_on_the_bars(app, logged_in, make_property, make_booking):
    from app.extensions import db
    from app.inventory import service

    client = logged_in("manager")
    prop = make_property(client.user.agency, name='Haus "<Süd>"')
    make_booking(prop, day(2), day(4), guest=service.GuestDetails("<script>alert(1)</script>", 'O"Neil'))
    with app.app_context():
        service.create_block(prop.agency_id, prop.id, service.Stay(day(5), day(6)), "<b>paint</b>")
        db.session.commit()
    row = row_of(text(client.get(chart_url(day(0), 14))), prop)
    assert "<script>" not in row and "&lt;script&gt;alert(1)&lt;/script&gt; O&#34;Neil" in row
    assert "<b>" not in row and "&lt;b&gt;paint&lt;/b&gt;" in row
    assert 'Haus &#34;&lt;Süd&gt;&#34;' in row
    assert f'href="/calendar?month={day(0):%Y-%m}&amp;property_id={prop.id}"' in row


@pytest.mark.parametrize("days", [14, 30, 60])
def test_window_sizes_and_date_paging(logged_in, make_property, days):
    client = logged_in("staff")
    prop = make_property(client.user.agency, name="Haus")
    start = day(3)
    page = client.get(chart_url(start, days))
    body = text(page)
    assert page.status_code == 200 and "js/calendar.js" in body and 'id="calendar-views"' in body
    columns = day_columns(body)
    assert len(columns) == days and columns[0] == str(start) and columns[-1] == str(start + timedelta(days=days - 1))
    assert f'data-start="{start}" data-days="{days}"' in body and f'style="--days: {days};' in body
    assert len(day_shades(body)) == days
    assert "<i" not in row_of(body, prop) and "data-date" not in row_of(body, prop)  # no element per day
    following = start + timedelta(days=days)
    assert re.search(rf'id="occupancy-next" href="/calendar/occupancy\?start={following}&amp;days={days}" '
                     rf'hx-get="/calendar/occupancy\?start={following}&amp;days={days}" hx-target="#occupancy-chart" '
                     r'hx-swap="outerHTML" hx-push-url="true" data-hotkey="ArrowRight"', body)
    previous = start - timedelta(days=days)
    assert f'id="occupancy-prev" href="/calendar/occupancy?start={previous}&amp;days={days}"' in body
    assert 'data-hotkey="ArrowLeft"' in body and f'id="occupancy-days-{days}"' in body
    assert re.search(rf'id="occupancy-days-{days}"[^>]*aria-current="true"', body)
    assert re.search(r'id="occupancy-days-60"[^>]*start=' + str(start), body)  # a window change keeps the start

    partial = client.get(chart_url(following, days), headers=hx())
    assert is_fragment(partial, '<section id="occupancy-chart"')
    assert day_columns(text(partial))[0] == str(following)


def test_default_window_starts_two_days_before_today_and_past_days_are_not_free(logged_in, make_property):
    client = logged_in("manager")
    make_property(client.user.agency)
    body = text(client.get("/calendar/occupancy"))
    columns = day_columns(body)
    assert len(columns) == 30 and columns[0] == str(day(-2))
    assert f'data-today="{day(0)}"' in body  # the script lets no day before it be chosen
    shades = day_shades(body)
    for offset in (-2, -1, 0, 1):
        weekend = day(offset).weekday() > 4
        assert shades[offset + 2] == ("weekend" if weekend else "past" if offset < 0 else "free")
    step = 100 / 30
    assert f"var(--primary) {2 * step:.3f}% calc({2 * step:.3f}% + 2px)" in body  # today is marked
    assert re.search(rf'<time class="tape-date[^"]* today" datetime="{day(0)}"', body)
    assert "data-calendar" in body and 'data-range-url="/calendar/range"' in body


def test_other_agencies_properties_are_never_shown(app, logged_in, make_property, make_booking):
    client = logged_in("admin")
    mine = make_property(client.user.agency, name="Mein Haus")
    theirs = make_property(name="Fremdes Haus")
    make_booking(theirs, day(5), day(8))
    body = text(client.get(chart_url(day(0))))
    assert f"occupancy-row-{mine.id}" in body and "Fremdes Haus" not in body and str(theirs.id) not in body
    assert "1 property</div>" in body
    other = logged_in("admin", agency=None)
    assert "No properties yet" in text(other.get(chart_url(day(0))))


def test_roles_decide_what_can_be_selected_and_opened(app, logged_in, make_property):
    from app.extensions import db
    from app.inventory import service

    admin = logged_in("admin")
    prop = make_property(admin.user.agency)
    with app.app_context():
        service.create_block(prop.agency_id, prop.id, service.Stay(day(4), day(6)), "Paint")
        db.session.commit()
    url = chart_url(day(0), 14)
    assert "data-calendar" in text(admin.get(url)) and "<button" in bar(row_of(text(admin.get(url)), prop), "block")
    staff_body = text(logged_in("staff", agency=admin.user.agency).get(url))
    assert "data-calendar" in staff_body and bar(row_of(staff_body, prop), "block").startswith("<span")
    accountant_body = text(logged_in("accountant", agency=admin.user.agency).get(url))
    assert "data-calendar" not in accountant_body and "Click a free day" not in accountant_body
    assert f"occupancy-row-{prop.id}" in accountant_body  # every member may look at the chart


def test_bad_window_is_a_422_error_state(logged_in, make_property):
    client = logged_in("admin")
    make_property(client.user.agency)
    for url in (chart_url(day(0), 31), chart_url("2026-13-01"), chart_url("9999-12-31"), chart_url(day(0), offset=-1)):
        bad = client.get(url, headers=hx())
        assert bad.status_code == 422 and is_fragment(bad, '<section id="occupancy-chart"'), url
        assert "Could not load the occupancy chart" in text(bad)


def test_properties_are_paged_beyond_the_page_size(app, logged_in, make_property, monkeypatch):
    from app.inventory.service import occupancy_chart

    client = logged_in("admin")
    names = [f"Haus {n}" for n in range(5)]
    for name in names:
        make_property(client.user.agency, name=name)
    monkeypatch.setattr(occupancy_chart, "CHART_PAGE_SIZE", 2)
    first = text(client.get(chart_url(day(0))))
    assert "Haus 0" in first and "Haus 1" in first and "Haus 2" not in first
    assert "Properties 1–2 of 5" in first and 'id="occupancy-rows-next"' in first
    assert f'href="/calendar/occupancy?start={day(0)}&amp;days=30&amp;offset=2"' in first
    last = text(client.get(chart_url(day(0), offset=4), headers=hx()))
    assert "Haus 4" in last and "Haus 3" not in last and 'id="occupancy-rows-prev"' in last
    assert 'id="occupancy-rows-next"' not in last


def test_statements_do_not_grow_with_properties_or_bookings(app, logged_in, make_property, make_booking):
    client = logged_in("admin")
    url = chart_url(day(0), 60)
    client.get(url)  # warm up: the session's user and agency are loaded the same way each time

    def statements_for_chart() -> int:
        with counting_statements(app) as statements:
            assert client.get(url, headers=hx()).status_code == 200
        return len(statements)

    make_property(client.user.agency)
    few = statements_for_chart()
    for n in range(6):
        prop = make_property(client.user.agency)
        make_booking(prop, day(2 + n), day(4 + n))
        channel_connection(app, prop)
    assert statements_for_chart() == few


def test_without_the_channel_manager_the_pages_show_no_channel_data(database_url, redis_url, app, logged_in, login,
                                                                     make_property, make_booking):
    from app import create_app
    from app.extensions import db
    from app.inventory import service
    from tests.conftest import build_config
    from tests.factories import CsrfClient

    with_channels = logged_in("admin")
    user = with_channels.user
    prop = make_property(user.agency, name="Haus")
    start = day(10)
    make_booking(prop, start, start + timedelta(days=2), guest=service.GuestDetails("Anna", "Schmidt"),
                 source="booking_com")
    connection_id = channel_connection(app, prop)
    with app.app_context():
        service.upsert_channel_hold(prop.agency_id, prop.id, connection_id, "uid-1", start + timedelta(days=3),
                                    start + timedelta(days=5))
        db.session.commit()
    record_conflict(app, prop, connection_id, start, start + timedelta(days=1), "Airbnb (HMX42)")
    full = text(with_channels.get(chart_url(start, 14)))
    assert "Anna Schmidt · Booking.com" in full and "Airbnb hold" in full and "Conflict: Airbnb (HMX42)" in full

    no_channels = create_app(build_config(database_url, redis_url, CHANNELS_ENABLED=False))
    no_channels.test_client_class = CsrfClient
    client = login(no_channels.test_client(), user)
    chart = client.get(chart_url(start, 14))
    row = row_of(text(chart), prop)
    assert chart.status_code == 200 and ">Anna Schmidt · Booking com</a>" in row and ">Channel hold</span>" in row
    assert "Conflict" not in row and 'id="occupancy-conflicts"' not in text(chart)
    month = client.get(f"/calendar?property_id={prop.id}&month={start:%Y-%m}")
    assert month.status_code == 200 and "Channel hold" in text(month) and "HMX42" not in text(month)
    detail = client.get(f"/properties/{prop.id}")
    assert detail.status_code == 200 and 'id="property-connections"' not in text(detail)

