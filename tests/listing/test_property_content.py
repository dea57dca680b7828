"""A property's website content in the back office: extended fields with limits (API and form),
amenity checkboxes on the property form, the photo panel on the property page."""
from __future__ import annotations

from decimal import Decimal

from tests.listing.conftest import image_bytes, multipart

CONTENT = {"short_description": "Kate hinter den Dünen", "description": "Erster Absatz.\n\nZweiter Absatz.",
           "area_sqm": 75, "bathrooms": 1, "beds": 4, "house_rules": "Keine Partys",
           "cancellation_policy": "Bis 30 Tage vorher kostenlos", "latitude": "54.906", "longitude": "8.311",
           "checkin_instructions": "Schlüsselbox Code 4711"}


def test_extended_fields_round_trip_through_the_api(admin_api):
    created = admin_api.post("/api/v1/properties/", json={"name": "Strandkate", **CONTENT})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert {key: body[key] for key in CONTENT} == {**CONTENT, "latitude": 54.906, "longitude": 8.311}
    cleared = admin_api.patch(f"/api/v1/properties/{body['id']}",
                              json={"latitude": None, "longitude": None, "description": None})
    assert cleared.status_code == 200
    assert (cleared.get_json()["latitude"], cleared.get_json()["description"]) == (None, None)


def test_extended_fields_have_limits(admin_api, make_property):
    prop = make_property(admin_api.agency, latitude=Decimal("54.9"), longitude=Decimal("8.3"))
    url = f"/api/v1/properties/{prop.id}"
    for body, field in (({"short_description": "x" * 301}, "short_description"),
                        ({"description": "x" * 10001}, "description"), ({"area_sqm": 0}, "area_sqm"),
                        ({"bathrooms": -1}, "bathrooms"), ({"beds": 201}, "beds"),
                        ({"house_rules": "x" * 5001}, "house_rules"), ({"latitude": 90.5}, "latitude"),
                        ({"longitude": -181}, "longitude"), ({"latitude": "1.1234567"}, "latitude"),
                        ({"checkin_instructions": "x" * 5001}, "checkin_instructions"),
                        ({"latitude": None}, "latitude"), ({"longitude": None}, "longitude")):
        response = admin_api.patch(url, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["detail"][0]["loc"][-1] == field, (body, response.get_json())
    half = admin_api.post("/api/v1/properties/", json={"name": "Nur Breite", "latitude": 50})
    assert half.status_code == 422 and half.get_json()["detail"][0]["loc"][-1] == "longitude"
    assert admin_api.get(url).get_json()["latitude"] == 54.9


def form_data(**fields) -> dict:
    return {"name": "Haus Form", "max_guests": "4", "bedrooms": "2", "min_stay_nights": "1", "max_advance_days": "730",
            "check_in_time": "15:00", "check_out_time": "10:00", "base_nightly_rate": "100", "currency": "EUR",
            "timezone": "Europe/Berlin", "weekly_discount_percent": "0", "monthly_discount_percent": "0",
            "is_active": "on", **fields}


def test_property_form_saves_content_and_amenities(app, logged_in, admin_api):
    client = logged_in("admin", agency=admin_api.agency)
    wlan = admin_api.post("/api/v1/amenities/", json={"name": "WLAN", "icon": "wifi"}).get_json()["id"]
    admin_api.post("/api/v1/amenities/", json={"name": "Sauna", "icon": "heater"})
    form = client.get("/properties/new").get_data(as_text=True)
    assert 'name="checkin_instructions"' in form and f'value="{wlan}"' in form
    saved = client.post("/properties", data=form_data(amenity_ids=[wlan], **{k: str(v) for k, v in CONTENT.items()}))
    assert saved.status_code == 303
    prop = admin_api.get("/api/v1/properties/").get_json()["items"][0]
    assert prop["beds"] == 4 and prop["checkin_instructions"] == CONTENT["checkin_instructions"]
    ticked = admin_api.get(f"/api/v1/properties/{prop['id']}/amenities").get_json()["items"]
    assert [a["name"] for a in ticked] == ["WLAN"]
    edit = client.get(f"/properties/{prop['id']}/edit").get_data(as_text=True)
    assert f'value="{wlan}" checked' in edit


def test_property_form_shows_content_errors_next_to_the_fields(logged_in):
    client = logged_in("admin")
    response = client.post("/properties", data=form_data(short_description="x" * 301, beds="-1"),
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "At most 300 characters" in body and "At least 0" in body
    coordinates = client.post("/properties", data=form_data(latitude="54.9"), headers={"HX-Request": "true"})
    assert coordinates.status_code == 422 and "Give latitude and longitude together" in coordinates.get_data(as_text=True)
    unknown = client.post("/properties", data=form_data(amenity_ids=["not-an-id"]), headers={"HX-Request": "true"})
    assert unknown.status_code == 422


def test_photo_panel_uploads_moves_and_removes_on_the_property_page(logged_in, make_property, media_root):
    client = logged_in("admin")
    prop = make_property(client.user.agency)
    page = client.get(f"/properties/{prop.id}").get_data(as_text=True)
    assert 'id="photo-upload"' in page and "No photos yet." in page
    hx = {"HX-Request": "true"}
    for colour in ((200, 0, 0), (0, 200, 0)):
        uploaded = client.post(f"/properties/{prop.id}/photos", headers=hx,
                               **multipart(image_bytes("JPEG", size=(800, 600), colour=colour), "p.jpg",
                                           caption="Rot"))
        assert uploaded.status_code == 200 and uploaded.get_data(as_text=True).count('class="photo-card"') >= 1
    refused = client.post(f"/properties/{prop.id}/photos", headers=hx, **multipart(b"plain text", "fake.jpg"))
    assert refused.status_code == 422 and "Upload a JPEG, PNG or WebP photo" in refused.get_data(as_text=True)
    panel = client.get(f"/properties/{prop.id}/photos", headers=hx).get_data(as_text=True)
    first, second = [chunk.split('"')[0] for chunk in panel.split('data-photo-id="')[1:]]
    moved = client.post(f"/photos/{first}/move/down", headers=hx).get_data(as_text=True)
    assert moved.index(second) < moved.index(first)
    without_js = client.post(f"/photos/{first}/caption", data={"caption": "Küche"})
    assert without_js.status_code == 303 and without_js.headers["Location"].endswith("#photos")
    confirm = client.get(f"/photos/{first}/delete", headers=hx).get_data(as_text=True)
    assert "Remove photo?" in confirm
    removed = client.post(f"/photos/{first}/delete", headers=hx)
    assert removed.status_code == 200 and first not in removed.get_data(as_text=True)
    assert len(list(media_root.rglob("*.jpg"))) == 2


def test_photo_pages_of_other_agencies_are_404(logged_in, make_property, media_root):
    owner, stranger = logged_in("admin"), logged_in("admin")
    prop = make_property(owner.user.agency)
    owner.post(f"/properties/{prop.id}/photos", **multipart(image_bytes("JPEG", size=(400, 300)), "p.jpg"))
    panel = owner.get(f"/properties/{prop.id}/photos").get_data(as_text=True)
    photo_id = panel.split('data-photo-id="')[1].split('"')[0]
    assert stranger.get(f"/properties/{prop.id}/photos").status_code == 404
    assert stranger.post(f"/photos/{photo_id}/delete").status_code == 404
    assert stranger.post(f"/photos/{photo_id}/move/up").status_code == 404
    assert stranger.post(f"/properties/{prop.id}/photos",
                         **multipart(image_bytes("JPEG", size=(400, 300)), "p.jpg")).status_code == 404
