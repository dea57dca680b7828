"""Guest pages: list with search (page and htmx partial), empty and error states, detail with
metrics and booking timeline, tenancy."""
from __future__ import annotations

import re
import uuid

from tests.factories import day, hx
from tests.faults import table_locked
from tests.inventory.test_views import is_fragment, text


def make_guest(app, agency, first_name: str, last_name: str, email: str | None = None):
    from app.extensions import db
    from app.guests import service

    with app.app_context():
        guest = service.create_guest(agency.id, first_name, last_name, email=email)
        db.session.commit()
        return guest.id


def test_guests_list_search_sort_and_partial(app, logged_in, make_property, make_booking):
    client = logged_in("staff")
    anna = make_guest(app, client.user.agency, "Anna", "Schmidt", "anna@example.com")
    jonas = make_guest(app, client.user.agency, "Jonas", "Weber")
    make_booking(make_property(client.user.agency), day(4), day(6), guest_id=jonas)
    page = text(client.get("/guests"))
    assert "<html" in page and f'id="guest-{anna}"' in page and f'id="guest-{jonas}"' in page
    assert re.search(r'hx-get="/guests" hx-target="#guest-table"\s+hx-swap="outerHTML" hx-push-url="true"', page)
    assert 'name="sort"' in page and 'change from:find select' in page
    recent = text(client.get("/guests?sort=recent", headers=hx()))
    assert recent.index(f'id="guest-{jonas}"') < recent.index(f'id="guest-{anna}"')  # by name it is the reverse
    found = client.get("/guests?q=ANNA@example", headers=hx())
    assert is_fragment(found, '<section id="guest-table"')
    assert f'id="guest-{anna}"' in text(found) and f'id="guest-{jonas}"' not in text(found)


def test_guests_empty_and_error_states(logged_in, impatient_client, database_url):
    client = logged_in("admin")
    assert "No guests yet." in text(client.get("/guests"))
    assert "No guests match “zz”." in text(client.get("/guests?q=zz", headers=hx()))
    bad = client.get("/guests?limit=500", headers=hx())
    assert bad.status_code == 422 and "Could not load guests" in text(bad)
    locked_out = impatient_client("admin")
    with table_locked(database_url, "guests"):
        response = locked_out.get("/guests", headers=hx())
    assert response.status_code == 503 and is_fragment(response, '<section id="guest-table"')
    assert "Could not load guests. The database is busy" in text(response)  # a lock timeout: retry hint


def test_guest_detail_shows_metrics_and_timeline(app, logged_in, make_property, make_booking):
    from app.inventory import service

    client = logged_in("manager")
    prop = make_property(client.user.agency, name="Haus am See", base_nightly_rate=100)
    guest = service.GuestDetails("Anna", "Schmidt", "anna@example.com")
    first = make_booking(prop, day(5), day(8), guest=guest)
    later = make_booking(prop, day(20), day(22), guest=guest)
    with app.app_context():
        from app.extensions import db
        service.cancel_booking(prop.agency_id, later.id, "changed plans")
        db.session.commit()
    body = text(client.get(f"/guests/{first.guest_id}"))
    assert "Anna Schmidt" in body and "anna@example.com" in body
    assert '<div class="metric">1</div>' in body and "300.00" in body and str(day(5)) in body
    timeline = client.get(f"/guests/{first.guest_id}", headers=hx())
    assert is_fragment(timeline, '<section class="card" id="guest-timeline"')
    entries = text(timeline)
    assert entries.index(f"timeline-{later.id}") < entries.index(f"timeline-{first.id}")  # latest arrival first
    assert 'data-status="cancelled"' in entries and f'href="/bookings/{first.id}"' in entries


def test_guest_detail_without_bookings_and_of_other_agencies(app, logged_in, make_agency):
    client = logged_in("admin")
    lonely = make_guest(app, client.user.agency, "Ole", "Hansen")
    assert "No bookings yet." in text(client.get(f"/guests/{lonely}"))
    stranger = make_guest(app, make_agency(), "Eve", "Other")
    assert client.get(f"/guests/{stranger}").status_code == 404
    assert client.get(f"/guests/{uuid.uuid4()}").status_code == 404
