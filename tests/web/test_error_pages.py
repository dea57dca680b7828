"""Error pages keep the layout and lead back; an expired session answers htmx with a login banner."""
from __future__ import annotations

import uuid

from tests.factories import hx


def main_section(html: str) -> str:
    return html[html.index('<main'):html.index('</main>')]


def test_error_pages_keep_the_navigation_and_lead_back_to_the_section(logged_in):
    client = logged_in("admin")
    cases = {f"/bookings/{uuid.uuid4()}": (404, "Booking not found", "Back to Bookings", 'href="/bookings"'),
             # a malformed id in a page address: a page that cannot exist (the API answers 422)
             "/connections/not-a-uuid": (404, "Not found.", "Back to Connections", 'href="/connections"'),
             "/no-such-page": (404, "There is no page at this address.", "Back to Dashboard", 'href="/"')}
    for url, (status, message, back, href) in cases.items():
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == status, url
        assert 'id="main-nav"' in html and 'href="/properties"' in html, url  # the layout stays
        main = main_section(html)
        assert message in main and back in main and href in main, url
        assert "Try again" not in main and "Unexpected error occurred" not in main, url


def test_forbidden_page_leads_to_a_section_the_role_may_open(logged_in):
    client = logged_in("staff")
    response = client.get("/connections")
    main = main_section(response.get_data(as_text=True))
    assert response.status_code == 403 and "Not authorized" in main
    assert "Back to Dashboard" in main and "Try again" not in main and 'href="/connections"' not in main


def test_api_404_keeps_its_json_contract(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert (response.status_code, response.get_json()) == (404, {"detail": "Not Found"})


def expire_session(client) -> None:
    """What a browser does when the session cookie is gone: the client keeps only its stale CSRF token."""
    client._cookies.clear()


def test_htmx_post_with_an_expired_session_gets_the_login_banner_not_a_csrf_error(logged_in, make_property):
    client = logged_in("admin")
    prop = make_property(client.user.agency)
    expire_session(client)
    response = client.post(f"/properties/{prop.id}/ical-token/rotate",
                           headers=hx({"HX-Current-URL": f"http://localhost/properties/{prop.id}?tab=ical"}))
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Your session expired — <a" in body and "log in again</a>" in body and "CSRF" not in body
    assert f'href="/login?next=/properties/{prop.id}?tab%3Dical"' in body
    assert response.headers["HX-Retarget"] == "#banner" and response.headers["X-Swap-Error"] == "true"
    assert "HX-Redirect" not in response.headers  # nothing typed on the page is lost


def test_plain_form_post_with_an_expired_session_goes_to_login_back_to_the_form_page(logged_in):
    client = logged_in("admin")
    expire_session(client)
    response = client.post("/properties", data={"name": "X"}, headers={"Referer": "http://localhost/properties/new"})
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/properties/new"


def test_csrf_failure_with_a_live_session_is_still_a_400(logged_in):
    client = logged_in("admin")
    response = client.post("/properties", data={"name": "X"}, headers=hx({"X-CSRFToken": "forged"}))
    assert response.status_code == 400 and "CSRF check failed" in response.get_data(as_text=True)


def test_anonymous_404_offers_the_login(client):
    response = client.get("/no-such-page")
    main = main_section(response.get_data(as_text=True))
    assert response.status_code == 404 and 'href="/login?next=/no-such-page"' in main and "Log in" in main


def test_a_rate_limit_answer_names_its_window():
    from types import SimpleNamespace

    from limits import parse

    from app.web.error_pages import wait_words

    def words(limit: str) -> str:
        return wait_words(SimpleNamespace(limit=SimpleNamespace(limit=parse(limit))))
    assert [words(limit) for limit in ("10 per minute", "10 per 15 minutes", "5 per hour", "100 per day")] == [
        "a minute", "15 minutes", "an hour", "24 hours"]
