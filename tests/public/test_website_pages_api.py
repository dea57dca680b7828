"""Website pages API: blocks always a list of typed blocks, limits, unique slugs, tenancy."""
from __future__ import annotations

import uuid

import pytest

PAGES = "/api/v1/website-pages/"
HERO = {"type": "hero", "title": "Willkommen", "text": "Ferien am See", "photo": "/media/see.jpg"}


def create(api, **body):
    return api.post(PAGES, json={"slug": "ueber-uns", "title": "Über uns", **body})


def test_create_read_update_delete(admin_api, make_property):
    prop = make_property(agency=admin_api.agency)
    blocks = [HERO, {"type": "text", "paragraphs": ["Eins", "Zwei"]},
              {"type": "property_list", "filter": "chosen", "property_ids": [str(prop.id)]},
              {"type": "image", "photo": "/media/pages/steg.webp", "alt": "Steg"},
              {"type": "contact", "address": "Seeweg 1\n12345 Seedorf", "email": "info@example.com",
               "phone": "+49 30 123456"}]
    response = create(admin_api, blocks=blocks, is_published=True, nav_position=2)
    assert response.status_code == 201, response.get_json()
    page = response.get_json()
    assert [block["type"] for block in page["blocks"]] == ["hero", "text", "property_list", "image", "contact"]
    assert admin_api.get(f"{PAGES}{page['id']}").get_json()["title"] == "Über uns"
    response = admin_api.patch(f"{PAGES}{page['id']}", json={"blocks": [], "nav_position": None})
    assert response.status_code == 200
    assert response.get_json()["blocks"] == [] and response.get_json()["nav_position"] is None
    assert [item["slug"] for item in admin_api.get(PAGES).get_json()["items"]] == ["ueber-uns"]
    assert admin_api.delete(f"{PAGES}{page['id']}").status_code == 204
    assert admin_api.get(f"{PAGES}{page['id']}").status_code == 404


@pytest.mark.parametrize("blocks", [{}, None, "[]", {"type": "hero"}])
def test_blocks_that_are_not_a_list_are_422(admin_api, blocks):
    response = create(admin_api, blocks=blocks)
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"][0] == "blocks"
    assert admin_api.get(PAGES).get_json()["items"] == []


@pytest.mark.parametrize("block, field", [
    ({"type": "marquee", "text": "x"}, None),
    ({"type": "hero"}, "title"),
    ({"type": "hero", "title": "x", "photo": "https://evil.example/x.jpg"}, "photo"),
    ({"type": "image", "photo": "/media/../../etc/passwd"}, "photo"),
    ({"type": "image", "photo": "javascript:alert(1)"}, "photo"),
    ({"type": "text", "paragraphs": ["x" * 5001]}, "paragraphs"),
    ({"type": "text", "paragraphs": ["x"] * 51}, "paragraphs"),
    ({"type": "text", "paragraphs": ["x"], "script": "<b>"}, "script"),
    ({"type": "contact", "email": "not-an-address"}, "email"),
    ({"type": "property_list", "filter": "chosen", "property_ids": []}, None),
])
def test_unknown_block_types_and_bad_fields_are_422(admin_api, block, field):
    response = create(admin_api, blocks=[block])
    assert response.status_code == 422, response.get_json()
    locs = [error["loc"] for error in response.get_json()["detail"]]
    assert all(loc[:2] == ["blocks", 0] for loc in locs)
    if field:
        assert any(field in loc for loc in locs), locs


def test_too_many_blocks_is_422(admin_api):
    response = create(admin_api, blocks=[{"type": "text", "paragraphs": ["x"]}] * 51)
    assert response.status_code == 422


def test_property_list_names_only_the_agencys_own_properties(admin_api, make_property, make_agency):
    foreign = make_property(agency=make_agency())
    for ids in ([str(foreign.id)], [str(uuid.uuid4())]):
        response = create(admin_api, blocks=[{"type": "property_list", "filter": "chosen", "property_ids": ids}])
        assert response.status_code == 422
        assert response.get_json()["detail"][0]["loc"] == ["body", "blocks", 0, "property_ids"]
    assert admin_api.get(PAGES).get_json()["items"] == []


def test_slug_unique_per_agency_409_but_free_for_others(admin_api, api_as):
    assert create(admin_api).status_code == 201
    response = create(admin_api)
    assert response.status_code == 409
    assert "already has this address" in response.get_json()["detail"]
    other = create(admin_api, slug="zweite").get_json()
    assert admin_api.patch(f"{PAGES}{other['id']}", json={"slug": "ueber-uns"}).status_code == 409
    assert create(api_as("admin")).status_code == 201


def test_other_agencies_pages_are_404_and_roles_guard_writes(admin_api, api_as):
    page = create(admin_api).get_json()
    stranger = api_as("admin")
    for call in (stranger.get, stranger.delete):
        assert call(f"{PAGES}{page['id']}").status_code == 404
    assert stranger.patch(f"{PAGES}{page['id']}", json={"title": "Mine"}).status_code == 404
    assert stranger.get(PAGES).get_json()["items"] == []
    staff = api_as("staff", agency=admin_api.agency)
    assert staff.get(PAGES).status_code == 200
    assert staff.patch(f"{PAGES}{page['id']}", json={"title": "x"}).status_code == 403
    assert api_as("manager", agency=admin_api.agency).patch(
        f"{PAGES}{page['id']}", json={"title": "Neu"}).status_code == 200


def test_null_for_required_fields_is_422(admin_api):
    page = create(admin_api).get_json()
    for field in ("blocks", "title", "slug"):
        assert admin_api.patch(f"{PAGES}{page['id']}", json={field: None}).status_code == 422, field


def test_the_database_refuses_blocks_that_are_not_a_list(app, admin_api):
    from sqlalchemy.exc import IntegrityError

    from app.extensions import db

    page = create(admin_api).get_json()
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(db.text("UPDATE website_pages SET blocks = '{}'::jsonb WHERE id = :id"),
                               {"id": page["id"]})
        db.session.rollback()


def test_stored_blocks_no_longer_valid_are_skipped_never_a_500(app, admin_api, site, visit):
    from app.extensions import db

    site("www.alt.example", admin_api.agency)
    page = create(admin_api, is_published=True).get_json()
    legacy = '[1, {"type": "marquee"}, {"type": "text", "paragraphs": ["Gültig"]}]'
    with app.app_context():
        db.session.execute(db.text("UPDATE website_pages SET blocks = CAST(:blocks AS jsonb) WHERE id = :id"),
                           {"blocks": legacy, "id": page["id"]})
        db.session.commit()
    assert admin_api.get(f"{PAGES}{page['id']}").status_code == 200
    assert admin_api.get(PAGES).status_code == 200
    response = visit("www.alt.example", "/seiten/ueber-uns")
    assert response.status_code == 200 and "Gültig" in response.get_data(as_text=True)
