"""Security drill, access: every route of `app.url_map` as anonymous, as a user of another
agency and as each role. New endpoints and pages are covered automatically.
"""
from __future__ import annotations

import pytest

from tests.drills.routes import (ROLES, SAMPLE_QUERY, World, allowed_roles, body_for, has_id_argument, is_api,
                                 is_public, operator_only, requests_for)
from tests.factories import day, hx

pytestmark = pytest.mark.slow


def send(caller, method: str, path: str, **kwargs):
    """One request; a 308 to the canonical URL (trailing slash) is followed once."""
    response = caller.open(path, method=method, **kwargs)
    if response.status_code == 308:
        response.close()
        kwargs.pop("query_string", None)  # carried over in the Location
        response = caller.open(response.headers["Location"], method=method, **kwargs)
    response.close()
    return response


def references_to(world: World) -> list[tuple[str, str, dict]]:
    """Requests naming another agency's resources in the query or body rather than the path."""
    prop = world.ids["property_id"]
    window = f"from_date={day(1)}&to_date={day(40)}"
    return [
        ("GET", f"/api/v1/availability?property_id={prop}&{window}", {}),
        ("GET", f"/api/v1/availability/blocks?property_id={prop}", {}),
        ("GET", f"/api/v1/bookings/?property_id={prop}", {}),
        ("POST", "/api/v1/bookings/", {"property_id": prop, "check_in": str(day(30)), "check_out": str(day(31))}),
        ("POST", "/api/v1/bookings/", {"property_id": prop, "check_in": str(day(30)), "check_out": str(day(31)),
                                       "guest_id": world.ids["guest_id"]}),
        ("POST", "/api/v1/availability/blocks", {"property_id": prop, "start_date": str(day(33)),
                                                 "end_date": str(day(34))}),
        ("POST", "/api/v1/availability/sync", {"property_id": prop, "platform": "airbnb",
                                               "sync_type": "availability"}),
        ("POST", "/api/v1/channel-connections/?skip_connection_test=true",
         {"property_id": prop, "platform_type": "booking_com", "platform_listing_id": "stolen"}),
    ]


def snapshot(client, world: World) -> dict:
    """Everything the agency's admin can read about its own resources."""
    reads = [path for method, path, rule in requests_for(client.application, world.ids, is_api)
             if method == "GET" and not is_public(rule)]
    return {path: client.get(path, headers=world.headers, query_string={"property_id": world.ids["property_id"],
                                                                         "from_date": str(day(1)),
                                                                         "to_date": str(day(40))}).get_data()
            for path in reads}


def test_anonymous_gets_401_on_api_and_login_redirect_on_pages(app, client, build_world, figures):
    world = build_world()
    checked = 0
    for method, path, rule in requests_for(app, world.ids, lambda rule: not is_public(rule)):
        response = send(client, method, path, json={} if method != "GET" else None)
        checked += 1
        if is_api(rule):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.get_json()["detail"], (method, path)
        elif method == "GET":
            assert response.status_code == 302, (method, path, response.status_code)
            assert response.headers["Location"].startswith("/login?next="), (path, response.headers["Location"])
        else:  # page writes: the CSRF check or the login redirect stops them first
            assert response.status_code in (302, 400), (method, path, response.status_code)
    figures.record("security_access", anonymous_requests=checked)


def test_other_agency_gets_404_for_every_resource_and_changes_nothing(app, client, build_world, login, figures):
    victim, intruder = build_world(), build_world()
    before = snapshot(client, victim)
    browser = login(app.test_client(), intruder.admin)
    checked = 0
    for method, path, rule in requests_for(app, victim.ids, has_id_argument):
        caller, headers = (client, intruder.headers) if is_api(rule) else (browser, hx())
        response = send(caller, method, path, headers=headers, query_string=SAMPLE_QUERY, **body_for(method, rule))
        checked += 1
        if response.status_code == 405 and is_api(rule):  # refused for every id alike: nothing leaks
            assert client.open(path, method=method, headers=victim.headers).status_code == 405, path
            continue
        assert response.status_code == 404, (method, path, response.status_code, response.get_data()[:300])
    for method, path, body in references_to(victim):
        response = client.open(path, method=method, headers=intruder.headers, json=body or None)
        checked += 1
        if method == "GET" and "/availability?" not in path and response.status_code == 200:
            assert response.get_json()["total"] == 0, path  # a list filtered by a foreign id: empty
            continue
        assert response.status_code == 404, (method, path, response.status_code, response.get_data()[:300])
    listings = [path for method, path, rule in requests_for(app, intruder.ids, is_api)
                if method == "GET" and not has_id_argument(rule) and not is_public(rule)]
    for path in listings:
        body = client.get(path, headers=intruder.headers).get_data(as_text=True)
        assert not [value for value in victim.ids.values() if str(value) in body], path
    assert snapshot(client, victim) == before
    figures.record("security_access", cross_agency_requests=checked + len(listings))


def test_each_role_gets_403_exactly_where_not_allowed(app, client, build_world, make_user, bearer, login,
                                                      figures):
    world = build_world()
    checked, denied = 0, 0
    for role in ROLES:
        user = make_user(role, agency=world.agency)
        headers, browser = bearer(user), login(app.test_client(), user)
        for method, path, rule in requests_for(app, world.ids, lambda rule: not is_public(rule)):
            if rule.endpoint in ("auth.logout", "auth_api.revoke_token"):
                continue  # would end the session / token the rest of the sweep needs
            caller, auth = (client, headers) if is_api(rule) else (browser, {})
            response = send(caller, method, path, headers=auth, **body_for(method, rule),
                            query_string=SAMPLE_QUERY)
            allowed = allowed_roles(app, rule)
            checked += 1
            assert response.status_code < 500, (role, method, path, response.get_data()[:300])
            if operator_only(app, rule):  # for every agency role, admins included, the page does not exist
                denied += 1
                expected = 403 if allowed is not None and role not in allowed else 404  # a blueprint gate first
                assert response.status_code == expected, (role, method, path, response.status_code)
            elif allowed is not None and role not in allowed:
                denied += 1
                assert response.status_code == 403, (role, method, path, response.status_code)
            else:
                assert response.status_code not in (401, 403), (role, method, path, response.status_code)
    figures.record("security_access", role_requests=checked, role_denials=denied)


# Spec 20/40: who may change what. A guard lost in a refactoring fails here.
EXPECTED_GUARDS = {
    "inventory_api.create_property": {"admin", "manager"},
    "inventory_api.update_property": {"admin", "manager"},
    "inventory_api.delete_property": {"admin"},
    "inventory_api.create_block": {"admin", "manager"},
    "inventory_api.delete_block": {"admin", "manager"},
    "inventory_api.create_booking": {"admin", "manager", "staff"},
    "guests_api.create_guest": {"admin", "manager", "staff"},
    "ops.status": {"admin"},
    "channels_api.trigger_sync": {"admin", "manager"},
    "channels_api.retry_sync_log": {"admin", "manager"},
    "channels_api.trigger_property_sync": {"admin", "manager"},
    "channels.trigger_sync": {"admin", "manager"},
}
# Spec 40: platform operators only (queues of every agency).
EXPECTED_OPERATOR_ONLY = {"rq_dashboard.queues_overview", "rq_dashboard.list_jobs", "rq_dashboard.requeue_all",
                          "rq_dashboard.empty_queue", "rq_dashboard.delete_job_view",
                          "channels_api.cancel_sync_log", "channels.cancel_sync_log", "channels.cancel_confirm"}


def test_guards_match_the_role_policy(app):
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    for endpoint, roles in EXPECTED_GUARDS.items():
        assert set(allowed_roles(app, rules[endpoint]) or ROLES) == roles, endpoint
        assert not operator_only(app, rules[endpoint]), endpoint
    for endpoint in EXPECTED_OPERATOR_ONLY:
        assert operator_only(app, rules[endpoint]), endpoint


def test_operators_open_the_operator_pages(app, logged_in):
    browser = logged_in("staff", operator=True)
    for rule in app.url_map.iter_rules():
        if operator_only(app, rule) and "GET" in rule.methods and not rule.arguments - {"instance_number"}:
            response = browser.get(rule.rule.replace("<int:instance_number>", "0"), follow_redirects=True)
            response.close()
            assert response.status_code == 200, rule.rule
