"""The websites' property content: gallery, amenities with icons, facts, map link, the amenity filter and the
public API's amenities. Check-in instructions never leave the back office; two agencies never see each
other's amenities or photos."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from tests.factories import hx

HOST, OTHER_HOST = "www.kueste.example", "www.berge.example"
SECRET = "Schlüsselbox Code QZ-4711"  # letters no id or hash contains


def jpeg(colour) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def content(app):
    """`content(prop, amenities=(name, icon)..., photos=n)`: amenities (created or reused) and photos for `prop`."""
    from app.extensions import db
    from app.listing import service

    def add(prop, amenities=(), photos: int = 0):
        with app.app_context():
            existing = {a.name: a.id for a in service.list_amenities(prop.agency_id)}
            ids = [existing.get(name) or service.create_amenity(prop.agency_id, name=name, icon=icon).id
                   for name, icon in amenities]
            service.set_property_amenities(prop.agency_id, prop.id, ids)
            photo_ids = [service.add_photo(prop.agency_id, prop.id, jpeg((40 * n, 100, 150)), caption=f"Bild {n}").id
                         for n in range(photos)]
            db.session.commit()
        return photo_ids
    return add


def page(visit, path, host=HOST, **kwargs):
    response = visit(host, path, **kwargs)
    return response, response.get_data(as_text=True)


def test_detail_shows_gallery_amenities_facts_and_map_but_never_checkin_instructions(
        site, visit, make_property, content, media_root):
    agency = site(HOST)
    prop = make_property(agency=agency, name="Strandkate", short_description="Hinter den Dünen",
                         description="Erster Absatz <script>alert(1)</script>\n\nZweiter Absatz", beds=4, bathrooms=2,
                         area_sqm=75, latitude=Decimal("54.906"), longitude=Decimal("8.311"),
                         house_rules="Keine Partys", cancellation_policy="Kostenlos bis 30 Tage vorher",
                         checkin_instructions=SECRET)
    content(prop, amenities=(("WLAN", "wifi"), ("Meerblick", "waves")), photos=2)
    response, body = page(visit, "/unterkuenfte/strandkate?lang=de")
    assert response.status_code == 200
    assert body.count('class="site-gallery-main"') == 1 and "Bild 1" in body and "/media/photos/" in body
    assert "<p>Erster Absatz &lt;script&gt;alert(1)&lt;/script&gt;</p>" in body and "<p>Zweiter Absatz</p>" in body
    assert "<script>alert(1)" not in body
    assert "lucide-wifi" in body and "Meerblick" in body
    assert "https://www.openstreetmap.org/?mlat=54.906000&amp;mlon=8.311000" in body
    assert "75 m²" in body and "Keine Partys" in body and "Kostenlos bis 30 Tage vorher" in body
    assert SECRET not in body and "QZ-4711" not in body
    api = visit(HOST, "/api/public/v1/properties/strandkate").get_json()
    assert [a["name"] for a in api["amenities"]] == ["WLAN", "Meerblick"]
    assert api["amenities"][0]["icon_url"].split("?")[0].endswith("/static/vendor/lucide-static/icons/wifi.svg")
    assert len(api["photos"]) == 2 and api["photos"][0]["url"].startswith(f"http://{HOST}/media/photos/")
    assert api["beds"] == 4 and api["latitude"] == 54.906
    listed = visit(HOST, "/api/public/v1/properties/").get_json()["items"][0]
    assert listed["photo"]["caption"] == "Bild 0" and [a["icon"] for a in listed["amenities"]] == ["wifi", "waves"]
    for document in (api, listed):
        assert "checkin_instructions" not in document and SECRET not in str(document)
    with visit(HOST, api["photos"][0]["thumbnail_url"].removeprefix(f"http://{HOST}")) as photo:
        assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


def test_list_shows_the_first_photo_and_the_teaser(site, visit, make_property, content, media_root):
    agency = site(HOST)
    prop = make_property(agency=agency, name="Haus Foto", short_description="Mit Garten")
    make_property(agency=agency, name="Haus Ohne")
    first, _ = content(prop, photos=2)
    _, body = page(visit, "/unterkuenfte")
    card = body.split('id="property-haus-foto"')[1].split("</li>")[0]
    assert f"{first}-400.jpg" in card and "Mit Garten" in card
    assert "site-card-photo" not in body.split('id="property-haus-ohne"')[1].split("</li>")[0]


def test_amenity_filter_lists_amenities_of_active_properties_and_keeps_those_with_all(
        app, site, visit, make_property, content):
    from app.extensions import db
    from app.inventory import service

    agency = site(HOST)
    sea = make_property(agency=agency, name="Haus Meer")
    both = make_property(agency=agency, name="Haus Beides")
    hidden = make_property(agency=agency, name="Haus Still", is_active=False)
    gone = make_property(agency=agency, name="Haus Weg")
    content(sea, amenities=(("Meerblick", "waves"),))
    content(both, amenities=(("Meerblick", "waves"), ("WLAN", "wifi")))
    content(hidden, amenities=(("Sauna", "heater"),))
    content(gone, amenities=(("Kamin", "flame"),))
    with app.app_context():
        service.delete_property(agency.id, gone.id)
        db.session.commit()
    _, body = page(visit, "/unterkuenfte")  # an anonymous visitor
    assert 'id="amenity-filter"' in body
    offered = body.split('id="amenity-filter"')[1].split("</fieldset>")[0]
    assert "Meerblick" in offered and "WLAN" in offered and "Sauna" not in offered and "Kamin" not in offered
    ids = {name: value.split('"')[0] for name, value in
           ((chunk.split("</svg>")[1].split("</label>")[0].strip(), chunk) for chunk in
            offered.split('name="amenity" value="')[1:])}
    one = f"/unterkuenfte?amenity={ids['Meerblick']}"
    _, body = page(visit, one)
    assert "Haus Meer" in body and "Haus Beides" in body
    _, body = page(visit, f"{one}&amenity={ids['WLAN']}")
    assert "Haus Beides" in body and "Haus Meer" not in body
    assert f'value="{ids["WLAN"]}" checked' in body  # the bookmarked URL shows its ticks
    response, fragment = page(visit, f"{one}&amenity={ids['WLAN']}", headers=hx())
    assert response.status_code == 200 and 'id="property-list"' in fragment
    assert "<html" not in fragment and "Haus Beides" in fragment and "Haus Meer" not in fragment
    response, body = page(visit, "/unterkuenfte?amenity=not-a-uuid")
    assert response.status_code == 200 and "Haus Meer" in body and 'id="search-errors"' in body


def test_two_agencies_never_see_each_others_amenities_or_photos(site, visit, make_property, content, media_root):
    coast, mountains = site(HOST), site(OTHER_HOST)
    mine = make_property(agency=coast, name="Haus Kueste")
    theirs = make_property(agency=mountains, name="Haus Berg")
    content(mine, amenities=(("Meerblick", "waves"),), photos=1)
    their_photo, = content(theirs, amenities=(("Bergblick", "mountain"),), photos=1)
    _, body = page(visit, "/unterkuenfte")
    assert "Meerblick" in body and "Bergblick" not in body and str(their_photo) not in body
    assert [a["name"] for a in visit(HOST, "/api/public/v1/amenities/").get_json()["items"]] == ["Meerblick"]
    assert [a["name"] for a in visit(OTHER_HOST, "/api/public/v1/amenities/").get_json()["items"]] == ["Bergblick"]
    their_amenity = visit(OTHER_HOST, "/api/public/v1/amenities/").get_json()["items"][0]["id"]
    _, body = page(visit, f"/unterkuenfte?amenity={their_amenity}")
    assert "Haus Kueste" not in body and "Haus Berg" not in body and "Bergblick" not in body
    filtered = visit(HOST, "/api/public/v1/properties/", query_string={"amenity": their_amenity}).get_json()
    assert filtered == {"items": []}
    assert visit(HOST, "/unterkuenfte/haus-berg").status_code == 404


def test_public_amenities_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "/api/public/v1/amenities/" in paths
    assert "/api/v1/amenities/" in paths and "/api/v1/properties/{property_id}/photos/" in paths
