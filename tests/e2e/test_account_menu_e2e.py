"""In a real browser: the account menu of a member of two agencies switches the agency the pages show,
and offers the admins' Team page. Screenshots go to test-artifacts/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot

pytestmark = pytest.mark.slow


def test_account_menu_switches_agency_and_opens_team(page, app, make_user, make_agency, make_property):
    from app.auth.models import TeamMember
    from app.extensions import db

    user = make_user("admin", agency=make_agency("Seeblick Ferien"))
    other = make_agency("Alpen Chalets")
    with app.app_context():
        db.session.add(TeamMember(user_id=user.id, agency_id=other.id, role="staff"))
        db.session.commit()
    make_property(user.agency, name="Haus am See")
    make_property(other, name="Berghuette")
    login_as(page, user)
    page.goto("/properties")
    expect(page.locator("main")).to_contain_text("Haus am See")

    page.locator("#account-menu summary").click()
    expect(page.locator("#user-menu-team")).to_be_visible()
    screenshot(page, "account-menu-open")
    page.select_option("#agency-switcher-select", "alpen-chalets")
    page.locator("#agency-switcher").get_by_role("button", name="Switch").click()
    page.wait_for_url("**/")
    page.goto("/properties")
    expect(page.locator("main")).to_contain_text("Berghuette")
    expect(page.locator("main")).not_to_contain_text("Haus am See")
    page.locator("#account-menu summary").click()
    expect(page.locator("#user-menu-team")).to_have_count(0)  # a staff member there: no Team page
    expect(page.locator("#agency-switcher-select")).to_have_value("alpen-chalets")
