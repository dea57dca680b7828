"""Domains page (admins): add, make primary and remove the hosts of the agency's website."""
from __future__ import annotations

from tests.factories import hx


def test_admin_adds_a_host_and_the_site_answers_there(logged_in, visit, make_property):
    admin = logged_in("admin")
    make_property(agency=admin.user.agency, name="Haus am See")
    response = admin.post("/settings/domains", data={"host": " WWW.See-Ferien.example. ",
                                                     "csrf_token": admin.csrf_token}, headers=hx())
    assert response.status_code == 200
    assert "www.see-ferien.example" in response.get_data(as_text=True)
    assert "Haus am See" in visit("www.see-ferien.example", "/").get_data(as_text=True)


def test_first_host_is_primary_and_primary_moves(app, logged_in):
    from app.public import domains

    admin = logged_in("admin")
    for host in ("one.example", "two.example"):
        admin.post("/settings/domains", data={"host": host, "csrf_token": admin.csrf_token})
    with app.app_context():
        rows = {d.host: d for d in domains.list_domains(admin.user.agency.id)}
    assert rows["one.example"].is_primary and not rows["two.example"].is_primary
    admin.post(f"/settings/domains/{rows['two.example'].id}/primary", data={"csrf_token": admin.csrf_token})
    with app.app_context():
        primary = [d.host for d in domains.list_domains(admin.user.agency.id) if d.is_primary]
    assert primary == ["two.example"]


def test_invalid_hosts_are_refused_with_a_message_and_nothing_saved(app, logged_in):
    from app.public import domains

    admin = logged_in("admin")
    for raw in ("https://www.example.com/", "example.com:8080", "", "localhost", "bad_host.example", "a" * 260):
        response = admin.post("/settings/domains", data={"host": raw, "csrf_token": admin.csrf_token}, headers=hx())
        assert response.status_code == 422, raw
        assert 'id="domain-host-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert domains.list_domains(admin.user.agency.id) == []


def test_a_host_belongs_to_one_agency_only(logged_in, site):
    site("taken.example")
    admin = logged_in("admin")
    response = admin.post("/settings/domains", data={"host": "taken.example", "csrf_token": admin.csrf_token},
                          headers=hx())
    assert response.status_code == 409
    assert "already in use" in response.get_data(as_text=True)


def test_remove_asks_in_page_then_removes(app, logged_in, visit):
    from app.public import domains

    admin = logged_in("admin")
    admin.post("/settings/domains", data={"host": "bye.example", "csrf_token": admin.csrf_token})
    with app.app_context():
        domain = domains.list_domains(admin.user.agency.id)[0]
    confirm = admin.get(f"/settings/domains/{domain.id}/delete", headers=hx())
    assert "<dialog" in confirm.get_data(as_text=True)
    response = admin.post(f"/settings/domains/{domain.id}/delete", data={"csrf_token": admin.csrf_token}, headers=hx())
    assert response.status_code == 200
    assert visit("bye.example", "/").status_code == 404


def test_other_agencies_domains_are_404_and_other_roles_are_refused(logged_in, site, app):
    from app.public import domains

    other = site("other.example")
    with app.app_context():
        other_domain = domains.list_domains(other.id)[0]
    admin = logged_in("admin")
    assert admin.post(f"/settings/domains/{other_domain.id}/delete",
                      data={"csrf_token": admin.csrf_token}).status_code == 404
    manager = logged_in("manager")
    assert manager.get("/settings/domains").status_code == 403
    assert manager.post("/settings/domains", data={"host": "x.example", "csrf_token": manager.csrf_token}).status_code == 403


def test_domains_are_in_the_admins_account_menu(logged_in):
    page = logged_in("admin").get("/settings/domains").get_data(as_text=True)
    assert 'id="user-menu-domains"' in page
