"""Role guard and tenant scoping, exercised through a small blueprint of real views."""
from __future__ import annotations

import secrets

import pytest
from flask import Blueprint

from app.web.api import api_blueprint
from app.web.auth import current_agency_id, protect_pages, require_role
from tests.conftest import build_config
from tests.factories import CsrfClient


def probe_blueprints():
    from app.inventory.models import Property
    from app.core.tenancy import get_owned

    api = api_blueprint("probe_api", __name__)
    pages = protect_pages(Blueprint("probe", __name__))

    @api.get("/probe/admin-only")
    @require_role("admin")
    def admin_only():
        return {"ok": True}

    @api.get("/probe/properties/<uuid:property_id>")
    def property_name(property_id):
        return {"name": get_owned(Property, current_agency_id(), property_id, "Property not found").name}

    @pages.get("/probe/managers")
    @require_role("admin", "manager")
    def managers_page():
        return "managers"

    @api.get("/probe/boom")
    def boom():
        raise RuntimeError("secret internals")

    return api, pages


@pytest.fixture(scope="module")
def probe_app(database_url, redis_url, app):
    from app import create_app

    probe = create_app(build_config(database_url, redis_url))
    for bp in probe_blueprints():
        probe.register_blueprint(bp)
    probe.test_client_class = CsrfClient
    return probe


@pytest.fixture
def make_property(probe_app):
    from app.extensions import db
    from app.inventory.models import Property

    def make(agency):
        with probe_app.app_context():
            prop = Property(agency_id=agency.id, name="Seeblick", ical_token=secrets.token_hex(16))
            db.session.add(prop)
            db.session.commit()
            return prop.id
    return make


@pytest.mark.parametrize("role,status", [("admin", 200), ("manager", 403), ("staff", 403),
                                         ("owner", 403), ("accountant", 403)])
def test_require_role_on_api(probe_app, make_user, bearer, role, status):
    response = probe_app.test_client().get("/api/v1/probe/admin-only", headers=bearer(make_user(role=role)))
    assert response.status_code == status
    if status == 403:
        assert response.get_json() == {"detail": "Not authorized to perform this action"}


def test_require_role_on_pages_answers_a_403_page(probe_app, make_user, login):
    staff = login(probe_app.test_client(), make_user(role="staff"))
    response = staff.get("/probe/managers")
    assert response.status_code == 403 and "<html" in response.get_data(as_text=True)
    manager = login(probe_app.test_client(), make_user(role="manager"))
    assert manager.get("/probe/managers").get_data(as_text=True) == "managers"


def test_other_agencys_row_is_404(probe_app, make_user, make_agency, bearer, make_property):
    mine, theirs = make_agency(), make_agency()
    own_id, foreign_id = make_property(mine), make_property(theirs)
    headers = bearer(make_user(agency=mine))
    client = probe_app.test_client()
    assert client.get(f"/api/v1/probe/properties/{own_id}", headers=headers).get_json() == {"name": "Seeblick"}
    foreign = client.get(f"/api/v1/probe/properties/{foreign_id}", headers=headers)
    assert (foreign.status_code, foreign.get_json()) == (404, {"detail": "Property not found"})


def test_non_uuid_id_is_422(probe_app, make_user, bearer):
    response = probe_app.test_client().get("/api/v1/probe/properties/abc", headers=bearer(make_user()))
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["type"] == "uuid_parsing"


def test_unexpected_error_is_logged_and_hides_internals(probe_app, make_user, bearer, caplog):
    response = probe_app.test_client().get("/api/v1/probe/boom", headers=bearer(make_user()))
    assert (response.status_code, response.get_json()) == (500, {"detail": "Internal server error"})
    assert "secret internals" not in response.get_data(as_text=True)
    assert "RuntimeError: secret internals" in caplog.text


def test_api_without_credentials_is_401(probe_app):
    response = probe_app.test_client().get("/api/v1/probe/admin-only")
    assert (response.status_code, response.get_json()) == (401, {"detail": "Not authenticated"})

