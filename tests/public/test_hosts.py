"""Tenant resolution: the request's host decides the agency, and nothing else ever does."""
from __future__ import annotations

import pytest

from tests.conftest import build_config, migrated_app


def test_two_agencies_on_two_hosts_never_see_each_others_properties(site, visit, make_property):
    alpha, beta = site("www.alpha.example"), site("beta.example")
    make_property(agency=alpha, name="Haus Alpha")
    make_property(agency=beta, name="Haus Beta")

    alpha_page = visit("www.alpha.example", "/unterkuenfte").get_data(as_text=True)
    beta_page = visit("beta.example", "/unterkuenfte").get_data(as_text=True)
    assert "Haus Alpha" in alpha_page and "Haus Beta" not in alpha_page
    assert "Haus Beta" in beta_page and "Haus Alpha" not in beta_page
    assert visit("beta.example", "/unterkuenfte/haus-alpha").status_code == 404
    assert visit("www.alpha.example", "/unterkuenfte/haus-alpha").status_code == 200


def test_host_matching_ignores_case_and_port(site, visit, make_property):
    agency = site("ferien.example")
    make_property(agency=agency, name="Seeblick")
    response = visit("FERIEN.example:8443", "/")
    assert response.status_code == 200
    assert "Seeblick" in response.get_data(as_text=True)


def test_unknown_host_answers_a_plain_uncached_404(site, visit, make_property):
    make_property(agency=site("known.example"), name="Haus Bekannt")
    response = visit("unknown.example", "/unterkuenfte")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert "Haus Bekannt" not in page and "Log in" not in page
    assert visit("unknown.example", "/").status_code == 404
    assert visit("unknown.example", "/bookings").status_code == 404


def test_public_host_serves_no_back_office_page(site, visit, make_property):
    site("public.example")
    for path in ("/bookings", "/login", "/api/v1/properties/", "/settings/domains"):
        assert visit("public.example", path).status_code == 404, path


def test_back_office_host_serves_no_public_page(visit, make_property, site):
    agency = site("public.example")
    make_property(agency=agency, name="Haus Versteckt")
    assert visit("localhost", "/unterkuenfte").status_code == 404
    assert visit("localhost", "/unterkuenfte/haus-versteckt").status_code == 404


def test_health_checks_answer_on_every_host(visit):
    assert visit("unknown.example", "/health").status_code == 200


def test_removed_domain_stops_resolving_at_once(app, site, visit):
    from app.extensions import db
    from app.public import domains

    agency = site("gone.example")
    assert visit("gone.example", "/").status_code == 200
    with app.app_context():
        domain = domains.list_domains(agency.id)[0]
        domains.remove_domain(agency.id, domain.id)
        db.session.commit()
    assert visit("gone.example", "/").status_code == 404


@pytest.fixture
def app_with(database_url, redis_url, app):
    """A second app on the same (migrated) database with other settings."""
    return lambda **overrides: migrated_app(build_config(database_url, redis_url, **overrides))


def test_untrusted_host_is_refused_with_400_before_routing(app_with, make_agency):
    other = app_with(TRUSTED_HOSTS=["localhost", ".trusted.example"])
    client = other.test_client()
    assert client.get("/health", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/unterkuenfte", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/health", headers={"Host": "localhost"}).status_code == 200
    # a subdomain of a trusted domain passes the check, then is an unknown website
    assert client.get("/unterkuenfte", headers={"Host": "www.trusted.example"}).status_code == 404


def test_agency_slug_on_localhost_only_in_development(app_with, make_agency, make_property):
    agency = make_agency("Kuestenhaus")
    make_property(agency=agency, name="Düne 7")
    development = app_with(APP_ENV="development").test_client()
    response = development.get("/unterkuenfte", headers={"Host": "kuestenhaus.localhost:8000"})
    assert response.status_code == 200
    assert "Düne 7" in response.get_data(as_text=True)
    assert development.get("/unterkuenfte", headers={"Host": "nobody.localhost"}).status_code == 404
    production = app_with(APP_ENV="production").test_client()
    assert production.get("/unterkuenfte", headers={"Host": "kuestenhaus.localhost"}).status_code == 404


def test_site_switch_off_unmounts_the_public_pages(app_with, site, make_property):
    make_property(agency=site("off.example"), name="Haus Aus")
    client = app_with(PUBLIC_SITE_ENABLED=False).test_client()
    assert client.get("/unterkuenfte", headers={"Host": "off.example"}).status_code == 404
    assert client.get("/unterkuenfte").status_code == 404


def test_made_up_hosts_cannot_grow_the_host_cache(app, visit, monkeypatch):
    from app.public import hosts

    monkeypatch.setattr(hosts, "MAX_CACHED_HOSTS", 5)
    for number in range(12):
        assert visit(f"probe-{number}.example", "/").status_code == 404
    assert len(app.extensions["public_hosts"]) <= 5
