"""Amenities: CRUD over the API with a vendored icon, the property's amenities, roles and tenancy."""
from __future__ import annotations

import uuid


def create(api, name: str, icon: str = "wifi", **fields):
    return api.post("/api/v1/amenities/", json={"name": name, "icon": icon, **fields})


def test_create_list_update_delete(admin_api):
    wlan = create(admin_api, "WLAN")
    assert wlan.status_code == 201
    body = wlan.get_json()
    assert (body["icon"], body["category"], body["position"]) == ("wifi", "basics", 1)
    parking = create(admin_api, "Parkplatz", "square-parking", category="basics").get_json()
    assert parking["position"] == 2
    assert [a["name"] for a in admin_api.get("/api/v1/amenities/").get_json()["items"]] == ["WLAN", "Parkplatz"]
    moved = admin_api.patch(f"/api/v1/amenities/{parking['id']}", json={"position": 0, "name": "Stellplatz"})
    assert moved.status_code == 200
    assert [a["name"] for a in admin_api.get("/api/v1/amenities/").get_json()["items"]] == ["Stellplatz", "WLAN"]
    assert admin_api.delete(f"/api/v1/amenities/{body['id']}").status_code == 204
    assert admin_api.get(f"/api/v1/amenities/{body['id']}").status_code == 404


def test_icon_must_be_one_of_the_vendored_set(admin_api):
    icons = admin_api.get("/api/v1/amenities/icons").get_json()["items"]
    assert "wifi" in icons and "washing-machine" in icons and len(icons) == len(set(icons))
    for icon in ("rocket-launcher", "../../app", "", "WIFI"):
        response = create(admin_api, f"Thing {icon}", icon)
        assert response.status_code == 422, icon
        assert response.get_json()["detail"][0]["loc"][-1] == "icon"
    wlan = create(admin_api, "WLAN").get_json()
    assert admin_api.patch(f"/api/v1/amenities/{wlan['id']}", json={"icon": "not-an-icon"}).status_code == 422
    assert admin_api.get(f"/api/v1/amenities/{wlan['id']}").get_json()["icon"] == "wifi"


def test_invalid_amenities_are_422_with_the_field(admin_api):
    create(admin_api, "WLAN")
    for body, field in (({"name": "", "icon": "wifi"}, "name"), ({"name": "x" * 81, "icon": "wifi"}, "name"),
                        ({"name": "wlan", "icon": "wifi"}, "name"), ({"name": "Pool", "icon": "waves",
                                                                      "category": "spa"}, "category"),
                        ({"name": "Pool", "icon": "waves", "position": -1}, "position"),
                        ({"name": "Pool", "icon": "waves", "colour": "blue"}, "colour")):
        response = admin_api.post("/api/v1/amenities/", json=body)
        assert response.status_code == 422, body
        assert response.get_json()["detail"][0]["loc"][-1] == field, body
    assert len(admin_api.get("/api/v1/amenities/").get_json()["items"]) == 1


def test_property_amenities_are_replaced_and_only_the_agencys_own(api_as, make_property):
    owner, stranger = api_as("admin"), api_as("admin")
    prop = make_property(owner.agency)
    wlan, kitchen = (create(owner, name, icon).get_json()["id"] for name, icon in
                     (("WLAN", "wifi"), ("Küche", "cooking-pot")))
    foreign = create(stranger, "Sauna", "heater").get_json()["id"]
    url = f"/api/v1/properties/{prop.id}/amenities"
    assert owner.put(url, json={"amenity_ids": [wlan, kitchen]}).status_code == 200
    assert {a["name"] for a in owner.get(url).get_json()["items"]} == {"WLAN", "Küche"}
    for ids in ([wlan, foreign], [str(uuid.uuid4())]):
        response = owner.put(url, json={"amenity_ids": ids})
        assert response.status_code == 422 and response.get_json()["detail"][0]["loc"][-1] == "amenity_ids"
    assert {a["name"] for a in owner.get(url).get_json()["items"]} == {"WLAN", "Küche"}
    assert owner.put(url, json={"amenity_ids": []}).get_json() == {"items": []}
    assert stranger.get(url).status_code == 404
    assert stranger.put(url, json={"amenity_ids": [foreign]}).status_code == 404
    assert stranger.get(f"/api/v1/amenities/{wlan}").status_code == 404
    assert stranger.patch(f"/api/v1/amenities/{wlan}", json={"name": "Mine"}).status_code == 404
    assert stranger.delete(f"/api/v1/amenities/{wlan}").status_code == 404
    assert [a["name"] for a in stranger.get("/api/v1/amenities/").get_json()["items"]] == ["Sauna"]


def test_deleting_an_amenity_removes_it_from_properties(admin_api, make_property):
    prop = make_property(admin_api.agency)
    wlan = create(admin_api, "WLAN").get_json()["id"]
    admin_api.put(f"/api/v1/properties/{prop.id}/amenities", json={"amenity_ids": [wlan]})
    admin_api.delete(f"/api/v1/amenities/{wlan}")
    assert admin_api.get(f"/api/v1/properties/{prop.id}/amenities").get_json() == {"items": []}


def test_staff_reads_but_does_not_write(api_as):
    staff = api_as("staff")
    assert create(staff, "WLAN").status_code == 403
    assert staff.get("/api/v1/amenities/").status_code == 200


def test_amenities_page_creates_with_the_icon_picker(logged_in):
    client = logged_in("admin")
    page = client.get("/amenities")
    assert page.status_code == 200 and 'id="new-amenity"' in page.get_data(as_text=True)
    dialog = client.get("/amenities/new", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'name="icon" value="wifi"' in dialog and "<svg" in dialog
    missing_icon = client.post("/amenities", data={"name": "WLAN", "category": "basics"},
                               headers={"HX-Request": "true"})
    assert missing_icon.status_code == 422 and "amenity-dialog" in missing_icon.get_data(as_text=True)
    bad_icon = client.post("/amenities", data={"name": "WLAN", "category": "basics", "icon": "nope"},
                           headers={"HX-Request": "true"})
    assert bad_icon.status_code == 422 and "Choose one of the offered icons" in bad_icon.get_data(as_text=True)
    created = client.post("/amenities", data={"name": "WLAN", "category": "basics", "icon": "wifi"},
                          headers={"HX-Request": "true"})
    assert created.status_code == 200 and "amenities-changed" in created.headers["HX-Trigger"]
    listed = client.get("/amenities").get_data(as_text=True)
    assert "WLAN" in listed and "lucide-wifi" in listed
