"""Calendar: month grid with bookings, blocks, channel holds and overbooking conflicts; the range
dialog; creating and removing blocks; roles."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from tests.factories import day, hx
from tests.inventory.test_views import is_fragment, text


def month_of(value) -> str:
    return value.strftime("%Y-%m")


def cell(body: str, date) -> str:
    """The opening tag of a day cell of the grid."""
    match = re.search(rf'<(?:a|button|div) role="gridcell" class="[^"]*" id="day-{date}"[^>]*>', body)
    assert match, f"no cell for {date}"
    return match.group(0)


def channel_connection(app, prop):
    from app.channels.models import ChannelConnection
    from app.extensions import db

    with app.app_context():
        connection = ChannelConnection(agency_id=prop.agency_id, property_id=prop.id, platform_type="airbnb")
        db.session.add(connection)
        db.session.commit()
        return connection.id


def record_conflict(app, prop, connection_id, start, end, summary: str):
    """An open overbooking conflict as the channel manager's iCal import records it; returns its id."""
    from app.channels.models import ChannelConflict
    from app.extensions import db

    with app.app_context():
        conflict = ChannelConflict(agency_id=prop.agency_id, connection_id=connection_id, property_id=prop.id,
                                   external_uid="evt-9", start_date=start, end_date=end, summary=summary,
                                   reason="Property is already booked for these dates")
        db.session.add(conflict)
        db.session.commit()
        return conflict.id


def test_month_grid_shows_bookings_blocks_and_holds(app, logged_in, make_property, make_booking):
    from app.extensions import db
    from app.inventory import service

    client = logged_in("admin")
    prop = make_property(client.user.agency, name="Haus")
    start = day(40).replace(day=8)
    booking = make_booking(prop, start, start + timedelta(days=3), guest=service.GuestDetails("Anna", "Schmidt"))
    connection_id = channel_connection(app, prop)
    with app.app_context():
        service.create_block(prop.agency_id, prop.id, service.Stay(start + timedelta(days=5),
                                                                   start + timedelta(days=7)), "Owner stay")
        service.upsert_channel_hold(prop.agency_id, prop.id, connection_id, "uid-1", start + timedelta(days=10),
                                    start + timedelta(days=12))
        db.session.commit()
    body = text(client.get(f"/calendar?property_id={prop.id}&month={month_of(start)}"))
    first_night = cell(body, start)
    assert "kind-booking" in first_night and "first-night" in first_night
    assert f'href="/bookings/{booking.id}"' in first_night
    assert "Anna Schmidt" in body and "Owner stay" in body and "Airbnb hold" in body
    assert "last-night" in cell(body, start + timedelta(days=2)) and "kind-free" in cell(body, start + timedelta(days=3))
    assert "kind-block" in cell(body, start + timedelta(days=5)) and 'hx-target="#modal"' in cell(
        body, start + timedelta(days=5))
    assert "kind-channel_hold" in cell(body, start + timedelta(days=10))
    assert "data-free" in cell(body, start + timedelta(days=4))
    past = text(client.get(f"/calendar?property_id={prop.id}&month={month_of(day(-1))}", headers=hx()))
    assert "past" in cell(past, day(-1)) and "data-free" not in cell(past, day(-1))
    assert 'hx-trigger="availability-changed from:body"' in body and "data-calendar" in body


def test_month_navigation_and_partial(logged_in, make_property):
    client = logged_in("staff")
    prop = make_property(client.user.agency)
    page = client.get(f"/calendar?property_id={prop.id}&month=2027-01")
    assert page.status_code == 200 and "January 2027" in text(page) and "js/calendar.js" in text(page)
    assert re.search(rf'id="calendar-next" href="/calendar\?property_id={prop.id}&amp;month=2027-02" '
                     rf'hx-get="/calendar\?property_id={prop.id}&amp;month=2027-02" hx-target="#calendar-grid" '
                     r'hx-swap="outerHTML" hx-push-url="true"', text(page))
    assert "month=2026-12" in text(page)
    partial = client.get(f"/calendar?property_id={prop.id}&month=2027-02", headers=hx())
    assert is_fragment(partial, '<section id="calendar-grid"') and "February 2027" in text(partial)


def test_open_overbooking_conflicts_are_highlighted(app, logged_in, make_property):
    from app.channels.models import ChannelConflict
    from app.extensions import db

    client = logged_in("manager")
    prop = make_property(client.user.agency)
    start = day(40).replace(day=8)
    connection_id = channel_connection(app, prop)
    conflict_id = record_conflict(app, prop, connection_id, start, start + timedelta(days=2), "Airbnb (HMX42)")
    url = f"/calendar?property_id={prop.id}&month={month_of(start)}"
    body = text(client.get(url))
    assert 'id="calendar-conflicts"' in body and "Airbnb (HMX42)" in body
    assert "conflict" in cell(body, start).split('class="')[1].split('"')[0]
    assert "conflict" not in cell(body, start + timedelta(days=2)).split('class="')[1].split('"')[0]
    with app.app_context():
        db.session.get(ChannelConflict, conflict_id).status = "resolved_on_channel"
        db.session.commit()
    assert 'id="calendar-conflicts"' not in text(client.get(url))  # resolved: no longer marked


def test_calendar_empty_and_error_states(logged_in, make_property):
    client = logged_in("admin")
    assert "No properties yet" in text(client.get("/calendar"))
    prop = make_property(client.user.agency)
    bad = client.get(f"/calendar?property_id={prop.id}&month=2027-13", headers=hx())
    assert bad.status_code == 422 and is_fragment(bad, '<section id="calendar-grid"')
    assert "Could not load the calendar" in text(bad)
    assert client.get(f"/calendar?property_id={make_property().id}").status_code == 404


def test_range_dialog_offers_what_the_role_may_create(logged_in, make_property):
    admin = logged_in("admin")
    prop = make_property(admin.user.agency)
    url = f"/calendar/range?property_id={prop.id}&from_date={day(10)}&to_date={day(13)}"
    dialog = text(admin.get(url, headers=hx()))
    assert '<dialog id="calendar-range"' in dialog and "(3 nights)" in dialog
    assert 'id="booking-form"' in dialog and 'id="block-form"' in dialog and 'role="tablist"' in dialog
    assert 'name="mode" value="dialog"' in dialog and f'value="{day(10)}"' in dialog and f'value="{day(13)}"' in dialog
    staff = logged_in("staff", agency=admin.user.agency)
    staff_dialog = text(staff.get(url, headers=hx()))
    assert 'id="booking-form"' in staff_dialog and 'id="block-form"' not in staff_dialog
    assert logged_in("accountant", agency=admin.user.agency).get(url, headers=hx()).status_code == 403
    backwards = f"/calendar/range?property_id={prop.id}&from_date={day(13)}&to_date={day(10)}"
    assert admin.get(backwards, headers=hx()).status_code == 422


def test_blocks_are_created_from_the_dialog_and_conflicts_show_inline(app, logged_in, make_property,
                                                                      make_booking):
    client = logged_in("manager")
    prop = make_property(client.user.agency)
    make_booking(prop, day(10), day(12))
    form = {"property_id": str(prop.id), "start_date": str(day(5)), "end_date": str(day(8)), "reason": "Paint"}
    done = client.post("/blocks", data=form, headers=hx())
    assert done.status_code == 200 and done.headers["HX-Retarget"] == "#modal"
    assert json.loads(done.headers["HX-Trigger"])["availability-changed"] is True
    taken = client.post("/blocks", data={**form, "start_date": str(day(11)), "end_date": str(day(14))}, headers=hx())
    assert taken.status_code == 409 and is_fragment(taken, '<form id="block-form"')
    assert 'id="block-stay-error"' in text(taken) and "already booked" in text(taken)
    backwards = client.post("/blocks", data={**form, "end_date": str(day(2))}, headers=hx())
    assert backwards.status_code == 422 and 'id="block-end_date-error"' in text(backwards)
    blocks = text(client.get(f"/properties/{prop.id}/blocks", headers=hx()))
    assert blocks.count('<tr id="block-') == 1 and "Paint" in blocks
    staff = logged_in("staff", agency=client.user.agency)
    assert staff.post("/blocks", data={**form, "start_date": str(day(20)), "end_date": str(day(21))},
                      headers=hx()).status_code == 403


def test_removing_a_block_goes_through_a_dialog(app, logged_in, make_property):
    from app.extensions import db
    from app.inventory import service

    client = logged_in("admin")
    prop = make_property(client.user.agency)
    with app.app_context():
        block = service.create_block(prop.agency_id, prop.id, service.Stay(day(5), day(7)), "Owner stay")
        db.session.commit()
        block_id = block.id
    dialog = text(client.get(f"/blocks/{block_id}/delete", headers=hx()))
    assert "<dialog" in dialog and f'hx-post="/blocks/{block_id}/delete"' in dialog
    assert logged_in("staff", agency=client.user.agency).post(f"/blocks/{block_id}/delete",
                                                              headers=hx()).status_code == 403
    done = client.post(f"/blocks/{block_id}/delete", headers=hx())
    assert done.status_code == 200 and json.loads(done.headers["HX-Trigger"])["availability-changed"] is True
    assert "No blocked dates" in text(client.get(f"/properties/{prop.id}/blocks", headers=hx()))
    assert client.post(f"/blocks/{block_id}/delete", headers=hx()).status_code == 404
