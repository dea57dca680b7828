"""Content pages on the website: published only, per host, escaped, navigation, the start page, caching."""
from __future__ import annotations

import pytest

from tests.factories import committed

HOST = "www.seehaus.example"
OTHER_HOST = "www.bergblick.example"


@pytest.fixture
def agency(site):
    return site(HOST)


@pytest.fixture
def make_page(app):
    """`make_page(agency, slug, title, blocks, **fields)` through the service (committed)."""
    from app.public import pages
    from app.public.schemas import block_adapter

    def make(agency, slug="ueber-uns", title="Über uns", blocks=(), **fields):
        fields.setdefault("is_published", True)
        typed = [block_adapter.validate_python(block) for block in blocks]
        return committed(app, lambda: pages.create_page(agency.id, slug=slug, title=title, blocks=typed, **fields))
    return make


def test_published_page_renders_its_blocks_with_public_cache(agency, visit, make_page, make_property):
    make_property(agency=agency, name="Haus am Steg")
    make_page(agency, blocks=[
        {"type": "hero", "title": "Willkommen am See", "text": "Ruhige Ferien", "photo": "/media/see.jpg"},
        {"type": "text", "heading": "Wer wir sind", "paragraphs": ["Seit 1990.", "Familienbetrieb."]},
        {"type": "property_list"},
        {"type": "image", "photo": "/media/steg.jpg", "alt": "Der Steg", "caption": "Abendstimmung"},
        {"type": "contact", "address": "Seeweg 1\n12345 Seedorf", "email": "info@seehaus.example",
         "phone": "+49 30 1234"}])
    response = visit(HOST, "/seiten/ueber-uns")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    for text in ("Willkommen am See", "<p>Seit 1990.</p>", "<p>Familienbetrieb.</p>", "Haus am Steg",
                 'src="/media/steg.jpg"', "Abendstimmung", "Seeweg 1<br>12345 Seedorf",
                 'href="mailto:info@seehaus.example"', "Kontakt"):
        assert text in body, text


def test_unpublished_missing_and_deleted_pages_are_404_no_store(app, agency, visit, make_page):
    from app.extensions import db
    from app.public import pages

    make_page(agency, slug="entwurf", title="Entwurf", is_published=False)
    gone = make_page(agency, slug="weg", title="Weg")
    with app.app_context():
        pages.delete_page(agency.id, gone.id)
        db.session.commit()
    for path in ("/seiten/entwurf", "/seiten/weg", "/seiten/nie-da"):
        response = visit(HOST, path)
        assert response.status_code == 404, path
        assert response.headers["Cache-Control"] == "no-store"
        assert "Entwurf" not in response.get_data(as_text=True)


def test_two_hosts_never_see_each_others_pages(site, agency, visit, make_page):
    other = site(OTHER_HOST)
    make_page(agency, slug="ueber-uns", title="Seehaus Team", nav_position=1)
    make_page(other, slug="anfahrt", title="Anfahrt Berg", nav_position=1)
    assert visit(OTHER_HOST, "/seiten/ueber-uns").status_code == 404
    assert visit(HOST, "/seiten/anfahrt").status_code == 404
    body = visit(OTHER_HOST, "/seiten/anfahrt").get_data(as_text=True)
    assert "Anfahrt Berg" in body and "Seehaus Team" not in body
    assert visit("localhost", "/seiten/ueber-uns").status_code == 404  # the back office never serves it


def test_blocks_render_escaped(agency, visit, make_page):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    make_page(agency, title=attack, seo_description=attack, nav_position=1, blocks=[
        {"type": "hero", "title": attack, "text": attack},
        {"type": "text", "heading": attack, "paragraphs": [attack]},
        {"type": "image", "photo": "/media/a.jpg", "alt": '" onload="alert(1)', "caption": attack},
        {"type": "contact", "address": attack, "heading": attack}])
    body = visit(HOST, "/seiten/ueber-uns").get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body and '" onload="' not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body


def test_navigation_lists_published_pages_by_position(agency, visit, make_page):
    make_page(agency, slug="kontakt", title="Kontakt", nav_position=5)
    make_page(agency, slug="ueber-uns", title="Über uns", nav_position=1)
    make_page(agency, slug="impressum", title="Impressum")  # no position: not in the menu
    make_page(agency, slug="entwurf", title="Entwurf", nav_position=0, is_published=False)
    body = visit(HOST, "/unterkuenfte").get_data(as_text=True)
    nav = body.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert nav.index("/seiten/ueber-uns") < nav.index("/seiten/kontakt")
    assert "Impressum" not in nav and "Entwurf" not in nav


def test_start_page_is_the_published_home_page_else_the_list(app, agency, visit, make_page, make_property):
    from app.public import pages

    make_property(agency=agency, name="Haus Liste")
    assert 'id="property-list"' in visit(HOST, "/").get_data(as_text=True)
    home = make_page(agency, slug="home", title="Start", is_published=False,
                     blocks=[{"type": "hero", "title": "Ferien am Seehaus"}])
    assert "Ferien am Seehaus" not in visit(HOST, "/").get_data(as_text=True)
    committed(app, lambda: pages.update_page(agency.id, home.id, is_published=True))
    response = visit(HOST, "/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=60"
    assert "Ferien am Seehaus" in body and 'id="property-list"' not in body


def test_404_page_speaks_the_sites_language(agency, visit):
    german = visit(HOST, "/seiten/nirgends").get_data(as_text=True)
    assert '<html lang="de">' in german and "Seite nicht gefunden" in german
    english = visit(HOST, "/seiten/nirgends?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Page not found" in english


def test_quote_price_lines_speak_the_sites_language(app, agency, visit, make_property):
    from decimal import Decimal

    from app.pricing import service as pricing
    from tests.factories import day

    rule = committed(app, lambda: pricing.create_tax_rule(agency.id, name="Kurtaxe", valid_from=day(-1),
                                                          amount_per_adult_night=Decimal("2.50")))
    prop = make_property(agency=agency, name="Haus Rabatt", base_nightly_rate=Decimal("100.00"), max_guests=4,
                         weekly_discount_percent=Decimal("10"), visitor_tax_rule_id=rule.id)
    path = f"/unterkuenfte/{prop.slug}/preis?arrival={day(30)}&departure={day(37)}&adults=2"
    german = visit(HOST, path).get_data(as_text=True)
    for text in ("7 Nächte zu je 100,00", "Wochenrabatt 10 %", "Kurtaxe: 2 Erwachsene × 7 Nächte"):
        assert text in german, text
    english = visit(HOST, path + "&lang=en").get_data(as_text=True)
    for text in ("7 nights at €100.00", "Weekly discount 10 %", "Kurtaxe: 2 adults × 7 nights"):
        assert text in english, text


def test_navigation_is_remembered_per_process_and_forgotten_on_page_changes(app, agency, visit, make_page):
    from app.extensions import db
    from app.public import pages

    page = make_page(agency, slug="anreise", title="Anreise", nav_position=1)
    assert "/seiten/anreise" in visit(HOST, "/unterkuenfte").get_data(as_text=True)
    with app.app_context():  # a change that bypasses the service (another process) shows after the cache time
        db.session.execute(db.text("UPDATE website_pages SET title = 'Weg dorthin' WHERE id = :id"), {"id": page.id})
        db.session.commit()
    assert "Weg dorthin" not in visit(HOST, "/unterkuenfte").get_data(as_text=True)
    committed(app, lambda: pages.update_page(agency.id, page.id, nav_position=2))  # this process forgets at once
    assert "Weg dorthin" in visit(HOST, "/unterkuenfte").get_data(as_text=True)
