"""Public pages: only the site agency's active, not deleted properties; filters; quote; calendar; caching."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import day, hx

HOST = "www.ferien.example"


@pytest.fixture
def agency(site):
    return site(HOST)


def page(visit, path, **kwargs):
    response = visit(HOST, path, **kwargs)
    return response, response.get_data(as_text=True)


def test_list_shows_only_active_not_deleted_properties(app, agency, visit, make_property, make_agency):
    from app.extensions import db
    from app.inventory import service

    make_property(agency=agency, name="Haus Aktiv")
    make_property(agency=agency, name="Haus Inaktiv", is_active=False)
    deleted = make_property(agency=agency, name="Haus Geloescht")
    make_property(agency=make_agency(), name="Haus Fremd")
    with app.app_context():
        service.delete_property(agency.id, deleted.id)
        db.session.commit()
    for path in ("/", "/unterkuenfte"):
        response, body = page(visit, path)
        assert response.status_code == 200
        assert "Haus Aktiv" in body
        assert not any(name in body for name in ("Haus Inaktiv", "Haus Geloescht", "Haus Fremd"))


def test_inactive_deleted_and_foreign_properties_are_404(app, agency, visit, make_property, make_agency):
    from app.extensions import db
    from app.inventory import service

    inactive = make_property(agency=agency, name="Still", is_active=False)
    deleted = make_property(agency=agency, name="Weg")
    foreign = make_property(agency=make_agency(), name="Fremd")
    with app.app_context():
        service.delete_property(agency.id, deleted.id)
        db.session.commit()
    for prop in (inactive, deleted, foreign):
        for suffix in ("", "/preis?arrival=2030-01-01&departure=2030-01-05"):
            response, body = page(visit, f"/unterkuenfte/{prop.slug}{suffix}")
            assert response.status_code == 404, (prop.name, suffix)
            assert response.headers["Cache-Control"] == "no-store"
            assert prop.name not in body


def test_cache_headers_public_for_pages_and_no_store_for_errors(agency, visit, make_property):
    prop = make_property(agency=agency, name="Haus Cache")
    for path in ("/", "/unterkuenfte", f"/unterkuenfte/{prop.slug}"):
        response, _ = page(visit, path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert "Accept-Language" in response.headers["Vary"]
    for path in ("/unterkuenfte/missing", "/nowhere"):
        response, _ = page(visit, path)
        assert response.status_code == 404
        assert response.headers["Cache-Control"] == "no-store"
    response, _ = page(visit, f"/unterkuenfte/{prop.slug}/preis?arrival=2030-01-05&departure=2030-01-01")
    assert response.status_code == 200  # the widget shows what to correct
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_date_filter_keeps_only_properties_free_for_the_stay(agency, visit, make_property, make_booking):
    busy = make_property(agency=agency, name="Haus Belegt")
    make_property(agency=agency, name="Haus Frei")
    make_booking(busy, day(10), day(14))
    _, body = page(visit, f"/unterkuenfte?arrival={day(12)}&departure={day(16)}")
    assert "Haus Frei" in body and "Haus Belegt" not in body
    _, body = page(visit, f"/unterkuenfte?arrival={day(14)}&departure={day(16)}")  # departure day is free
    assert "Haus Frei" in body and "Haus Belegt" in body


def test_guest_filter_and_htmx_swaps_only_the_list(agency, visit, make_property):
    make_property(agency=agency, name="Klein", max_guests=2)
    make_property(agency=agency, name="Gross", max_guests=8)
    response, body = page(visit, "/unterkuenfte?guests=5", headers=hx())
    assert 'id="property-list"' in body and "<html" not in body
    assert "Gross" in body and "Klein" not in body


def test_bad_filters_show_messages_not_errors(agency, visit, make_property):
    make_property(agency=agency, name="Haus Eins")
    response, body = page(visit, "/unterkuenfte?arrival=2030-02-10&departure=2030-02-01&guests=abc")
    assert response.status_code == 200
    assert 'id="search-departure-error"' in body and 'id="search-guests-error"' in body
    assert "Haus Eins" in body  # unfiltered


def test_detail_shows_facts_and_only_occupied_nights(agency, visit, make_property, make_booking):
    from app.inventory.service.bookings import GuestDetails

    prop = make_property(agency=agency, name="Haus Kalender", max_guests=4, bedrooms=2)
    make_booking(prop, day(3), day(5), guest=GuestDetails("Erika", "Mustermann"), notes="VIP secret")
    response, body = page(visit, f"/unterkuenfte/{prop.slug}")
    assert response.status_code == 200
    assert f'data-occupied="{day(3)}"' in body and f'data-occupied="{day(4)}"' in body
    assert f'data-occupied="{day(5)}"' not in body  # departure day
    assert "Mustermann" not in body and "VIP secret" not in body
    assert body.count('class="site-month"') == 12


def test_quote_widget_prices_the_stay_with_the_engine(agency, visit, make_property, make_booking):
    prop = make_property(agency=agency, name="Haus Preis", base_nightly_rate=Decimal("100.00"))
    arrival = day(30)
    response, body = page(visit, f"/unterkuenfte/{prop.slug}/preis?arrival={arrival}"
                                 f"&departure={arrival + timedelta(days=3)}&adults=2", headers=hx())
    assert response.status_code == 200
    assert 'id="quote-total"' in body and "300,00" in body and "<html" not in body
    make_booking(prop, arrival, arrival + timedelta(days=1))
    _, body = page(visit, f"/unterkuenfte/{prop.slug}/preis?arrival={arrival}&departure={arrival + timedelta(days=3)}")
    assert 'id="quote-unavailable"' in body and "<html" in body  # without JS: the whole page


def test_quote_rules_answer_in_the_visitors_language(agency, visit, make_property):
    prop = make_property(agency=agency, name="Haus Regeln", max_guests=2)
    path = f"/unterkuenfte/{prop.slug}/preis?arrival={day(30)}&departure={day(33)}&adults=5"
    _, german = page(visit, path)
    assert "Zu viele Gäste: höchstens 2." in german
    _, english = page(visit, path + "&lang=en")
    assert "Too many guests: at most 2." in english


def test_german_by_default_english_by_accept_language_or_lang(agency, visit, make_property):
    make_property(agency=agency, name="Haus Sprache")
    _, body = page(visit, "/unterkuenfte")
    assert "Unterkünfte" in body and '<html lang="de">' in body
    _, body = page(visit, "/unterkuenfte", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert "Accommodations" in body and '<html lang="en">' in body
    _, body = page(visit, "/unterkuenfte?lang=en")
    assert "Accommodations" in body
