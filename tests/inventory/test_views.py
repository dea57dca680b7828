"""Property and booking pages: full page vs htmx partial, hx-* wiring, inline 409/422, empty and
error states, status actions through in-page dialogs, roles and CSRF."""
from __future__ import annotations

import json
import re
import uuid

from tests.factories import day, hx
from tests.faults import table_locked


def text(response) -> str:
    return response.get_data(as_text=True)


def is_fragment(response, root: str) -> bool:
    """An htmx answer is the partial alone: its one root element, no page around it."""
    body = text(response).strip()
    return body.startswith(root) and "<html" not in body


def booking_form(prop, check_in, check_out, **fields) -> dict:
    return {"property_id": str(prop.id), "check_in": str(check_in), "check_out": str(check_out), **fields}


def bookings_of(app, prop) -> list:
    from app.inventory import service

    with app.app_context():
        return service.list_bookings(prop.agency_id, property_id=prop.id).items


# --- properties -----------------------------------------------------------------------------

def test_properties_page_and_search_partial(logged_in, make_property):
    client = logged_in("admin")
    make_property(client.user.agency, name="Haus am See", city="Konstanz")
    make_property(client.user.agency, name="Strandloft", city="Norderney")
    page = client.get("/properties")
    assert page.status_code == 200 and "<html" in text(page)
    assert re.search(r'hx-get="/properties" hx-target="#property-table"\s+hx-swap="outerHTML" hx-push-url="true"',
                     text(page))
    assert 'id="new-property"' in text(page)
    partial = client.get("/properties?q=konstanz", headers=hx())
    assert is_fragment(partial, '<section id="property-table"')
    assert "Haus am See" in text(partial) and "Strandloft" not in text(partial)


def test_properties_empty_and_error_states(logged_in):
    client = logged_in("manager")
    assert "No properties yet." in text(client.get("/properties"))
    assert "No properties match “nothing”." in text(client.get("/properties?q=nothing", headers=hx()))
    bad = client.get("/properties?offset=-1", headers=hx())
    assert bad.status_code == 422 and is_fragment(bad, '<section id="property-table"')
    assert 'class="banner banner-error"' in text(bad) and "Could not load properties" in text(bad)


def test_create_property_shows_field_errors_inline_and_then_redirects(logged_in, app):
    client = logged_in("manager")
    form = client.get("/properties/new")
    assert 'hx-post="/properties" hx-target="this" hx-swap="outerHTML"' in text(form)
    assert 'name="csrf_token"' in text(form) and 'value="730"' in text(form)  # model defaults prefilled
    bad = client.post("/properties", data={"name": "Haus", "min_stay_nights": "0", "currency": "euro",
                                           "country": "Deutschland", "timezone": "Europe/Atlantis"}, headers=hx())
    assert bad.status_code == 422 and is_fragment(bad, '<form id="property-form"')
    assert re.search(r'id="min_stay_nights-error" role="alert">At least 1<', text(bad))
    # the time zone is reported in the same pass as the other fields
    assert 'id="timezone-error" role="alert">Unknown time zone “Europe/Atlantis”: use an IANA name' in text(bad)
    assert 'id="currency-error" role="alert">Invalid format<' in text(bad)
    assert 'id="country-error" role="alert">Invalid format (expected ISO 3166 alpha-2)<' in text(bad)
    assert 'value="Haus"' in text(bad)
    created = client.post("/properties", data={"name": "Haus am See", "max_guests": "4", "check_in_time": "16:00",
                                               "timezone": "Europe/Vienna", "country": "at", "is_active": "on"},
                          headers=hx())
    assert created.status_code == 200 and re.fullmatch(r"/properties/[0-9a-f-]{36}", created.headers["HX-Redirect"])
    detail = text(client.get(created.headers["HX-Redirect"]))
    assert "Haus am See" in detail and "16:00" in detail and "Europe/Vienna" in detail and "AT" in detail


def test_edit_property_keeps_all_fields_and_unticked_active(logged_in, make_property):
    client = logged_in("admin")
    prop = make_property(client.user.agency, name="Alt", city="Bonn", max_guests=5)
    form = text(client.get(f"/properties/{prop.id}/edit"))
    assert 'value="Bonn"' in form and 'value="5"' in form and 'value="15:00"' in form
    response = client.post(f"/properties/{prop.id}/edit", data={"name": "Neu", "city": "", "max_guests": "5"})
    assert response.status_code == 303 and response.headers["Location"] == f"/properties/{prop.id}"
    detail = text(client.get(f"/properties/{prop.id}"))
    assert "Neu" in detail and "Bonn" not in detail and 'data-status="inactive"' in detail


def test_staff_sees_no_property_controls_and_gets_403(logged_in, make_property):
    client = logged_in("staff")
    prop = make_property(client.user.agency)
    assert 'id="new-property"' not in text(client.get("/properties"))
    detail = text(client.get(f"/properties/{prop.id}"))
    assert 'id="edit-property"' not in detail and 'id="rotate-ical"' not in detail and "Remove…" not in detail
    assert "New booking" in detail  # staff may book
    for response in (client.get("/properties/new"), client.post("/properties", data={"name": "X"}),
                     client.get(f"/properties/{prop.id}/edit"), client.post(f"/properties/{prop.id}/edit"),
                     client.post(f"/properties/{prop.id}/ical-token/rotate", headers=hx())):
        assert response.status_code == 403


def test_property_detail_lists_bookings_blocks_connections_and_ical_url(app, logged_in, make_property,
                                                                         make_booking):
    from app.channels.models import ChannelConnection
    from app.extensions import db
    from app.inventory import service

    client = logged_in("admin")
    prop = make_property(client.user.agency, name="Haus")
    booking = make_booking(prop, day(5), day(8), guest=service.GuestDetails("Anna", "Schmidt"))
    with app.app_context():
        service.create_block(prop.agency_id, prop.id, service.Stay(day(20), day(22)), "Owner stay")
        connection = ChannelConnection(agency_id=prop.agency_id, property_id=prop.id, platform_type="airbnb")
        db.session.add(connection)
        db.session.commit()
        connection_id = connection.id
    body = text(client.get(f"/properties/{prop.id}"))
    assert f'href="/connections/{connection_id}">Airbnb</a>' in body
    staff = logged_in("staff", agency=client.user.agency)  # connections are for admins and managers
    assert "/connections/" not in text(staff.get(f"/properties/{prop.id}"))
    assert f'id="property-booking-{booking.id}"' in body and "Anna Schmidt" in body
    assert "Owner stay" in body and "Airbnb" in body and "Never" in body
    url = f"http://localhost/ical/{prop.ical_token}.ics"
    assert f'data-copy="{url}"' in body and f'value="{url}"' in body
    assert f'hx-get="/properties/{prop.id}/blocks"' in body and 'hx-trigger="availability-changed from:body"' in body
    assert is_fragment(client.get(f"/properties/{prop.id}", headers=hx()), '<div id="property-panels"')


def test_property_detail_empty_states_and_other_agency(logged_in, make_property):
    client = logged_in("admin")
    prop = make_property(client.user.agency)
    body = text(client.get(f"/properties/{prop.id}"))
    for message in ("No bookings for this property yet.", "No blocked dates.", "Not connected to any channel."):
        assert message in body
    assert client.get(f"/properties/{make_property().id}").status_code == 404
    assert client.get("/properties/not-a-uuid").status_code == 404  # a page that cannot exist


def test_rotating_the_ical_url_goes_through_a_dialog(logged_in, make_property):
    client = logged_in("manager")
    prop = make_property(client.user.agency)
    dialog = client.get(f"/properties/{prop.id}/ical-token/rotate", headers=hx())
    assert "<dialog" in text(dialog) and f'hx-post="/properties/{prop.id}/ical-token/rotate"' in text(dialog)
    response = client.post(f"/properties/{prop.id}/ical-token/rotate", headers=hx())
    assert response.status_code == 200
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#modal", "innerHTML")
    assert json.loads(response.headers["HX-Trigger"])["toast"]["level"] == "success"
    new_token = re.search(r'/ical/([^"]+)\.ics"', text(response)).group(1)
    assert new_token != prop.ical_token and 'id="property-ical" hx-swap-oob="true"' in text(response)


def test_page_posts_without_csrf_token_are_refused(logged_in, make_property, app):
    client = logged_in("admin")
    prop = make_property(client.user.agency)
    client.csrf_token = None
    assert client.post("/properties", data={"name": "Sneaky"}).status_code == 400
    assert client.post(f"/properties/{prop.id}/ical-token/rotate", headers=hx()).status_code == 400
    assert client.post("/bookings", data=booking_form(prop, day(3), day(5))).status_code == 400
    assert bookings_of(app, prop) == []


# --- bookings list ---------------------------------------------------------------------------

def test_bookings_list_filters_and_partial(logged_in, make_property, make_booking):
    client = logged_in("admin")
    haus, loft = make_property(client.user.agency, name="Haus"), make_property(client.user.agency, name="Loft")
    first = make_booking(haus, day(3), day(5))
    pending = make_booking(haus, day(10), day(12), status="pending")
    other = make_booking(loft, day(3), day(5))
    page = text(client.get("/bookings"))
    assert 'hx-get="/bookings" hx-target="#booking-table" hx-swap="outerHTML" hx-push-url="true"' in page
    assert 'hx-trigger="change, submit"' in page and 'type="date"' in page
    by_property = client.get(f"/bookings?property_id={haus.id}", headers=hx())
    assert is_fragment(by_property, '<section id="booking-table"')
    assert f"booking-{first.id}" in text(by_property) and f"booking-{other.id}" not in text(by_property)
    by_status = text(client.get("/bookings?status=pending", headers=hx()))
    assert f"booking-{pending.id}" in by_status and f"booking-{first.id}" not in by_status
    by_dates = text(client.get(f"/bookings?from_date={day(8)}&to_date={day(20)}", headers=hx()))
    assert f"booking-{pending.id}" in by_dates and f"booking-{first.id}" not in by_dates


def test_bookings_list_paginates(app, logged_in, make_property):
    from app.extensions import db
    from app.inventory import service

    client = logged_in("admin")
    prop = make_property(client.user.agency)
    with app.app_context():
        for offset in range(26):
            service.create_booking(prop.agency_id, prop.id, service.Stay(day(2 + offset), day(3 + offset)))
        db.session.commit()
    first_page = text(client.get(f"/bookings?property_id={prop.id}"))
    assert first_page.count('<tr id="booking-') == 25 and "1–25 of 26" in first_page
    assert f'hx-get="/bookings?offset=25&amp;property_id={prop.id}"' in first_page
    second = text(client.get(f"/bookings?offset=25&property_id={prop.id}", headers=hx()))
    assert second.count('<tr id="booking-') == 1 and "26–26 of 26" in second


def test_bookings_list_empty_and_error_states(logged_in, make_property, impatient_client, database_url):
    client = logged_in("admin")
    assert "No bookings yet." in text(client.get("/bookings"))
    assert "No bookings match these filters." in text(client.get("/bookings?status=cancelled", headers=hx()))
    bad = client.get("/bookings?from_date=someday", headers=hx())
    assert bad.status_code == 422 and is_fragment(bad, '<section id="booking-table"')
    assert "Could not load bookings: From date: Use a date like 2026-05-01" in text(bad)
    locked_out = impatient_client("admin")
    with table_locked(database_url, "bookings"):
        response = locked_out.get("/bookings")
    assert response.status_code == 503 and "<html" in text(response)
    assert re.search(r'id="booking-table".*Could not load bookings\. The database is busy', text(response),
                     re.S)


# --- booking form ----------------------------------------------------------------------------

def test_booking_form_prefills_and_posts_through_htmx(logged_in, make_property):
    client = logged_in("staff")
    prop = make_property(client.user.agency)
    page = text(client.get(f"/bookings/new?property_id={prop.id}&check_in={day(4)}"))
    assert 'hx-post="/bookings" hx-target="this" hx-swap="outerHTML"' in page
    assert f'<option value="{prop.id}" selected>' in page and f'value="{day(4)}"' in page
    assert 'type="date"' in page and 'value="1"' in page  # 1 adult by default
    assert is_fragment(client.get("/bookings/new", headers=hx()), '<form id="booking-form"')


def test_booking_on_taken_dates_shows_the_409_inline(app, logged_in, make_property, make_booking):
    client = logged_in("staff")
    prop = make_property(client.user.agency)
    make_booking(prop, day(10), day(14))
    response = client.post("/bookings", data=booking_form(prop, day(12), day(16), guest_first_name="Eva",
                                                         guest_last_name="Klein"), headers=hx())
    assert response.status_code == 409 and is_fragment(response, '<form id="booking-form"')
    assert re.search(r'id="booking-stay-error" role="alert"><strong>Not available:</strong> '
                     r'Property is already booked for these dates', text(response))
    assert f'value="{day(12)}"' in text(response) and 'value="Eva"' in text(response)
    assert len(bookings_of(app, prop)) == 1


def test_booking_rules_show_422_next_to_the_fields(app, logged_in, make_property):
    client = logged_in("admin")
    prop = make_property(client.user.agency, min_stay_nights=3)
    cases = {
        "booking-check_out-error": booking_form(prop, day(5), day(5)),
        "booking-check_in-error": booking_form(prop, day(-2), day(3)),
        "booking-guest_last_name-error": booking_form(prop, day(5), day(9), guest_first_name="Eva"),
        "booking-guest_email-error": booking_form(prop, day(5), day(9), guest_first_name="E", guest_last_name="K",
                                                  guest_email="not-an-email"),
        "booking-adults-error": booking_form(prop, day(5), day(9), adults="-1"),
        "booking-property_id-error": booking_form(prop, day(5), day(9), property_id="nope"),
    }
    for error_id, form in cases.items():
        response = client.post("/bookings", data=form, headers=hx())
        assert response.status_code == 422, (error_id, text(response)[:300])
        assert f'id="{error_id}" role="alert"' in text(response), error_id
    short = text(client.post("/bookings", data=booking_form(prop, day(5), day(6)), headers=hx()))
    assert "shorter than the minimum stay of 3 night(s)" in short
    assert bookings_of(app, prop) == []


def test_created_booking_redirects_or_closes_the_calendar_dialog(app, logged_in, make_property):
    client = logged_in("staff")
    prop = make_property(client.user.agency)
    page = client.post("/bookings", data=booking_form(prop, day(3), day(5), guest_first_name="Eva",
                                                     guest_last_name="Klein", guest_email="eva@example.com"))
    assert page.status_code == 303 and re.fullmatch(r"/bookings/[0-9a-f-]{36}", page.headers["Location"])
    assert "Eva Klein" in text(client.get(page.headers["Location"]))
    dialog = client.post("/bookings", data=booking_form(prop, day(7), day(9), mode="dialog"), headers=hx())
    assert dialog.status_code == 200 and text(dialog) == "" and dialog.headers["HX-Retarget"] == "#modal"
    events = json.loads(dialog.headers["HX-Trigger"])
    assert events["availability-changed"] is True and events["toast"]["message"] == "Booking created"
    assert len(bookings_of(app, prop)) == 2


def test_roles_without_booking_rights_see_no_controls_and_get_403(logged_in, make_property, make_booking):
    client = logged_in("owner")
    prop = make_property(client.user.agency)
    booking = make_booking(prop, day(3), day(5))
    assert 'id="new-booking"' not in text(client.get("/bookings"))
    detail = text(client.get(f"/bookings/{booking.id}"))
    assert "Confirmed" in detail and 'id="action-' not in detail
    for response in (client.get("/bookings/new"), client.post("/bookings", data=booking_form(prop, day(7), day(9))),
                     client.get(f"/bookings/{booking.id}/status/cancel", headers=hx()),
                     client.post(f"/bookings/{booking.id}/status/cancel", headers=hx())):
        assert response.status_code == 403


# --- booking detail and status actions -------------------------------------------------------

def test_detail_offers_the_actions_the_transition_table_allows(logged_in, make_property, make_booking):
    client = logged_in("manager")
    prop = make_property(client.user.agency)
    pending = make_booking(prop, day(3), day(5), status="pending")
    body = text(client.get(f"/bookings/{pending.id}"))
    assert re.search(rf'id="action-confirm"\s+hx-get="/bookings/{pending.id}/status/confirm"\s+'
                     r'hx-target="#modal" hx-swap="innerHTML"', body)
    assert 'id="action-cancel"' in body and 'id="action-check_in"' not in body
    assert is_fragment(client.get(f"/bookings/{pending.id}", headers=hx()), '<section id="booking-summary"')
    assert client.get(f"/bookings/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/bookings/{pending.id}/status/explode", headers=hx()).status_code == 404


def test_status_actions_confirm_in_a_dialog_and_update_the_summary(app, logged_in, make_property, make_booking):
    client = logged_in("staff")
    prop = make_property(client.user.agency)
    booking = make_booking(prop, day(0), day(3))
    dialog = client.get(f"/bookings/{booking.id}/status/check_in", headers=hx())
    assert "<dialog" in text(dialog) and "data-open" in text(dialog)
    assert f'hx-post="/bookings/{booking.id}/status/check_in" hx-target="#modal"' in text(dialog)
    done = client.post(f"/bookings/{booking.id}/status/check_in", headers=hx())
    assert done.status_code == 200 and done.headers["HX-Retarget"] == "#modal"
    assert '<section id="booking-summary" hx-swap-oob="true">' in text(done)
    assert 'data-status="checked_in"' in text(done) and 'id="action-check_out"' in text(done)
    assert json.loads(done.headers["HX-Trigger"])["toast"]["message"] == "Booking checked in"
    refused = client.post(f"/bookings/{booking.id}/status/confirm", headers=hx())
    assert refused.status_code == 422 and "<dialog" in text(refused)
    assert "Cannot change status from checked_in to confirmed" in text(refused)


def test_cancel_with_a_reason_frees_the_dates(app, logged_in, make_property, make_booking):
    client = logged_in("admin")
    prop = make_property(client.user.agency)
    booking = make_booking(prop, day(3), day(6))
    assert 'name="cancellation_reason"' in text(client.get(f"/bookings/{booking.id}/status/cancel", headers=hx()))
    done = client.post(f"/bookings/{booking.id}/status/cancel", data={"cancellation_reason": "Guest ill"},
                       headers=hx())
    assert done.status_code == 200 and "Guest ill" in text(done) and 'id="action-' not in text(done)
    again = client.post("/bookings", data=booking_form(prop, day(3), day(6)), headers=hx())
    assert again.status_code == 200 and "HX-Redirect" in again.headers


def test_booking_pages_work_with_the_fallback_module_list(database_url, redis_url, app, make_user, login,
                                                          make_property, make_booking):
    from app import create_app
    from app.inventory.service import GuestDetails
    from tests.conftest import build_config
    from tests.factories import CsrfClient

    fallback = create_app(build_config(database_url, redis_url, MODULES_ENABLED=False))
    fallback.test_client_class = CsrfClient
    user = make_user(role="admin")
    client = login(fallback.test_client(), user)
    booking = make_booking(make_property(user.agency), day(3), day(5), guest=GuestDetails("Anna", "Schmidt"))
    detail = client.get(f"/bookings/{booking.id}")
    assert detail.status_code == 200 and "Anna Schmidt" in text(detail) and "/guests/" not in text(detail)
    assert 'href="/guests"' not in text(client.get("/"))


def test_without_the_channel_manager_the_ical_url_is_explained(database_url, redis_url, app, make_user, login,
                                                                make_property):
    from app import create_app
    from tests.conftest import build_config
    from tests.factories import CsrfClient

    no_channels = create_app(build_config(database_url, redis_url, CHANNELS_ENABLED=False))
    no_channels.test_client_class = CsrfClient
    user = make_user(role="admin")
    client = login(no_channels.test_client(), user)
    body = text(client.get(f"/properties/{make_property(user.agency).id}"))
    assert 'id="ical-off"' in body and "/ical/" not in body and 'id="rotate-ical"' not in body
    assert 'id="dashboard-failed-syncs"' not in text(client.get("/"))


def test_booking_form_reports_every_problem_at_once_in_words(logged_in, make_property):
    client = logged_in("manager")
    prop = make_property(client.user.agency)
    bad = client.post("/bookings", headers=hx(), data={"property_id": str(prop.id), "check_in": "2031-05-10",
                                                       "check_out": "2031-05-07", "adults": "-1",
                                                       "guest_email": "nobody"})
    html = text(bad)
    assert bad.status_code == 422
    assert 'role="alert">Check-out must be after check-in<' in html and 'role="alert">At least 0<' in html
    assert "An email address must have an @-sign." in html and "Input should" not in html
    assert 'aria-invalid="true"' in html  # the page script focuses the first invalid field


def test_nightly_rate_field_carries_the_zero_warning(logged_in):
    html = text(logged_in("admin").get("/properties/new"))
    assert 'data-warn-zero="base_nightly_rate-warning"' in html
    assert 'id="base_nightly_rate-warning" role="status" hidden>A nightly rate of 0.00' in html


def test_booking_source_shows_the_platform_name(logged_in, make_property, make_booking):
    client = logged_in("manager")
    prop = make_property(client.user.agency)
    booking = make_booking(prop, day(40), day(43), source="booking_com", external_ref="BDC-1")
    direct = make_booking(prop, day(50), day(52))
    listing = text(client.get("/bookings"))
    assert '<td data-label="Source">Booking.com</td>' in listing and '<td data-label="Source">Direct</td>' in listing
    assert "booking_com" not in listing
    assert "<dd>Booking.com</dd>" in text(client.get(f"/bookings/{booking.id}"))
    assert "<dd>Direct</dd>" in text(client.get(f"/bookings/{direct.id}"))
