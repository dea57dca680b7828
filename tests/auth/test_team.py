"""Team management: invitations with one-time links (shown after inviting, put in the outbox), roles,
deactivation, the own password change (other sessions and tokens end) and `flask reset-password`."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from tests.factories import DEFAULT_PASSWORD, CsrfClient, hx

NEW_PASSWORD = "a-new-long-password"


def invite(client, email: str, role: str = "manager"):
    return client.post("/team/invitations", data={"email": email, "role": role}, headers=hx())


def link_of(response) -> str:
    match = re.search(r'id="invitation-link" type="text" readonly value="([^"]+)"', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    return match.group(1).replace("http://localhost", "")


def outbox(app):
    from app.extensions import db
    from app.mail.models import OutboundEmail

    with app.app_context():
        return [(e.recipient, e.subject, e.body, e.status) for e in db.session.scalars(db.select(OutboundEmail))]


def membership(app, user_or_email, agency):
    from app.auth.models import TeamMember, User
    from app.extensions import db

    with app.app_context():
        email = getattr(user_or_email, "email", user_or_email)
        return db.session.execute(db.select(TeamMember.role, TeamMember.is_active).join(User).where(
            User.email == email, TeamMember.agency_id == agency.id)).one_or_none()


def new_client(app) -> CsrfClient:
    app.test_client_class = CsrfClient
    return app.test_client()


def test_admin_invites_and_the_link_works_once(app, logged_in):
    admin = logged_in("admin")
    page = admin.get("/team").get_data(as_text=True)
    assert 'id="team-members"' in page and admin.user.email in page and 'id="team-invite"' in page
    response = invite(admin, "New.Person@Example.com")
    assert response.status_code == 200 and "Invitation for new.person@example.com created" in response.headers["HX-Trigger"]
    assert 'id="team-invitations" hx-swap-oob="outerHTML"' in response.get_data(as_text=True)
    link = link_of(response)
    [(recipient, subject, body, status)] = outbox(app)
    assert recipient == "new.person@example.com" and admin.user.agency.name in subject
    assert link in body and status == "pending"  # no SMTP in the tests: readable in the Outbox
    # the page does not promise the link is shown only once: the outbox e-mail carries it too
    assert "the outbox e-mail carries the same link" in response.get_data(as_text=True)
    assert "new.person@example.com" in admin.get("/team").get_data(as_text=True)

    guest = new_client(app)
    guest.refresh_csrf("/login")
    form = guest.get(link)
    assert form.status_code == 200 and "as <strong>manager</strong>" in form.get_data(as_text=True)
    short = guest.post(link, data={"password": "short", "password_confirm": "short"})
    assert short.status_code == 422 and "At least 8 characters" in short.get_data(as_text=True)
    joined = guest.post(link, data={"display_name": "Nora", "password": NEW_PASSWORD,
                                    "password_confirm": NEW_PASSWORD})
    assert joined.status_code == 303 and joined.headers["Location"] == "/"
    assert guest.get("/").status_code == 200  # signed in, working in the inviting agency
    assert membership(app, "new.person@example.com", admin.user.agency) == ("manager", True)
    assert guest.get(link).status_code == 404  # used
    assert new_client(app).get("/invitations/not-a-token").status_code == 404


def test_invitation_errors_revoke_and_expiry(app, logged_in, make_user):
    from app.auth.models import UserInvitation
    from app.extensions import db

    admin = logged_in("admin")
    member = make_user("staff", agency=admin.user.agency)
    taken = invite(admin, member.email)
    assert taken.status_code == 409 and "already an active member" in taken.get_data(as_text=True)
    bad = invite(admin, "x@example.com", role="emperor")
    assert bad.status_code == 422 and 'id="invite-role-error"' in bad.get_data(as_text=True)
    first = link_of(invite(admin, "twice@example.com"))
    second = link_of(invite(admin, "twice@example.com"))
    assert new_client(app).get(first).status_code == 404  # a new invitation replaces the old link
    with app.app_context():
        invitation = db.session.scalars(db.select(UserInvitation).where(
            UserInvitation.revoked_at.is_(None), UserInvitation.email == "twice@example.com")).one()
        invitation_id = invitation.id
    assert admin.post(f"/team/invitations/{invitation_id}/revoke", headers=hx()).status_code == 200
    assert new_client(app).get(second).status_code == 404
    expiring = link_of(invite(admin, "late@example.com"))
    with app.app_context():
        row = db.session.scalars(db.select(UserInvitation).where(UserInvitation.email == "late@example.com")).one()
        row.expires_at = row.created_at - timedelta(seconds=1)
        db.session.commit()
    assert new_client(app).get(expiring).status_code == 404


def test_an_existing_user_confirms_with_their_password(app, logged_in, make_user):
    admin = logged_in("admin")
    elsewhere = make_user("admin")  # an admin of another agency
    link = link_of(invite(admin, elsewhere.email, role="staff"))
    guest = new_client(app)
    guest.refresh_csrf("/login")
    page = guest.get(link).get_data(as_text=True)
    assert "You already have an account" in page and "join-password_confirm" not in page
    assert guest.post(link, data={"password": "wrong-password"}).status_code == 422
    assert guest.post(link, data={"password": DEFAULT_PASSWORD}).status_code == 303
    assert membership(app, elsewhere, admin.user.agency) == ("staff", True)
    assert membership(app, elsewhere, elsewhere.agency) == ("admin", True)  # their own agency stays


def test_roles_change_but_the_team_keeps_an_admin(app, logged_in, make_user):
    admin = logged_in("admin")
    member = make_user("staff", agency=admin.user.agency)
    rows = admin.get("/team").get_data(as_text=True)
    member_id = re.search(rf'id="member-([0-9a-f-]+)">\s*<td data-label="Name">Staff', rows).group(1)
    admin_id = re.search(r'id="member-([0-9a-f-]+)">\s*<td data-label="Name">Admin', rows).group(1)
    changed = admin.post(f"/team/members/{member_id}/role", data={"role": "manager"}, headers=hx())
    assert changed.status_code == 200 and json.loads(changed.headers["HX-Trigger"])["toast"]["message"] == "Role changed"
    assert membership(app, member, admin.user.agency) == ("manager", True)
    refused = admin.post(f"/team/members/{admin_id}/role", data={"role": "staff"}, headers=hx())
    assert refused.status_code == 409 and "at least one active admin" in refused.get_data(as_text=True)
    assert admin.post(f"/team/members/{member_id}/role", data={"role": "boss"}, headers=hx()).status_code == 422
    assert membership(app, admin.user, admin.user.agency) == ("admin", True)


def test_deactivated_members_lose_access_at_once(app, logged_in, make_user, login, bearer):
    admin = logged_in("admin")
    member = make_user("manager", agency=admin.user.agency)
    member_client = login(new_client(app), member)
    token = bearer(member)
    member_id = re.search(r'id="member-([0-9a-f-]+)">\s*<td data-label="Name">Manager',
                          admin.get("/team").get_data(as_text=True)).group(1)
    dialog = admin.get(f"/team/members/{member_id}/active", headers=hx()).get_data(as_text=True)
    assert "<dialog" in dialog and "sessions and API tokens stop working" in dialog
    done = admin.post(f"/team/members/{member_id}/active", data={"active": "0"}, headers=hx())
    assert done.status_code == 200 and done.headers["HX-Retarget"] == "#modal"
    assert membership(app, member, admin.user.agency) == ("manager", False)
    assert member_client.get("/properties").status_code == 302  # to the login page
    assert member_client.get("/api/v1/properties/", headers=token).status_code == 401
    blocked = new_client(app)
    blocked.refresh_csrf("/login")
    relogin = blocked.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD,
                                           "csrf_token": blocked.csrf_token})
    assert relogin.status_code == 403 and "not an active member" in relogin.get_data(as_text=True)

    admin_id = re.search(r'id="member-([0-9a-f-]+)">\s*<td data-label="Name">Admin',
                         admin.get("/team").get_data(as_text=True)).group(1)
    myself = admin.post(f"/team/members/{admin_id}/active", data={"active": "0"}, headers=hx())
    assert myself.status_code == 409 and "cannot deactivate yourself" in myself.get_data(as_text=True)
    assert admin.post(f"/team/members/{member_id}/active", data={"active": "1"}, headers=hx()).status_code == 200
    assert login(new_client(app), member).get("/properties").status_code == 200


def test_team_is_for_admins_and_scoped(app, logged_in):
    admin = logged_in("admin")
    for role in ("manager", "staff"):
        other = logged_in(role, agency=admin.user.agency)
        assert other.get("/team").status_code == 403
        assert invite(other, "sneaky@example.com").status_code == 403
        assert 'id="user-menu-team"' not in other.get("/").get_data(as_text=True)
    assert 'id="user-menu-team"' in admin.get("/").get_data(as_text=True)
    member_id = re.search(r'id="member-([0-9a-f-]+)"', admin.get("/team").get_data(as_text=True)).group(1)
    stranger = logged_in("admin")
    assert stranger.post(f"/team/members/{member_id}/role", data={"role": "staff"}, headers=hx()).status_code == 404
    assert stranger.get(f"/team/members/{member_id}/active").status_code == 404


def test_own_password_change_ends_other_sessions_and_tokens(app, make_user, login, bearer):
    user = make_user("staff")
    here, elsewhere = login(new_client(app), user), login(new_client(app), user)
    token = bearer(user)
    assert 'id="user-menu-password"' in here.get("/").get_data(as_text=True)
    wrong = here.post("/account/password", data={"current_password": "nope", "new_password": NEW_PASSWORD,
                                                 "new_password_confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current password is not correct" in wrong.get_data(as_text=True)
    mismatch = here.post("/account/password", data={"current_password": DEFAULT_PASSWORD,
                                                    "new_password": NEW_PASSWORD, "new_password_confirm": "other"})
    assert mismatch.status_code == 422 and "do not match" in mismatch.get_data(as_text=True)
    assert elsewhere.get("/").status_code == 200 and elsewhere.get("/api/v1/properties/", headers=token).status_code == 200
    done = here.post("/account/password", data={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD,
                                                "new_password_confirm": NEW_PASSWORD})
    assert done.status_code == 200 and 'id="password-changed"' in done.get_data(as_text=True)
    assert here.get("/").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/").status_code == 302  # the other session ended
    assert new_client(app).get("/api/v1/properties/", headers=token).status_code == 401
    login(new_client(app), user, NEW_PASSWORD)


def test_wrong_current_passwords_are_rate_limited_per_user(app, make_user, login):
    user = make_user("staff")
    browser = login(new_client(app), user)
    limit = int(app.config["AUTH_ACCOUNT_RATE_LIMIT"].split()[0])

    def change(current: str, confirm: str = NEW_PASSWORD) -> int:
        return browser.post("/account/password", data={"current_password": current, "new_password": NEW_PASSWORD,
                                                        "new_password_confirm": confirm}).status_code
    assert [change(DEFAULT_PASSWORD, confirm="other") for _ in range(limit + 1)] == [422] * (limit + 1)  # not guesses
    assert [change(f"guess-{n}") for n in range(limit)] == [422] * limit
    assert change(DEFAULT_PASSWORD) == 429  # even the right one, until the window passes
    window = app.config["AUTH_ACCOUNT_RATE_LIMIT"].split(" per ")[1]  # e.g. "15 minutes"
    assert f"Please wait {window} and try again" in browser.post("/account/password").get_data(as_text=True)
    login(new_client(app), user)  # the password did not change


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=list(args), **kwargs)


def test_reset_password_command(app, cli, make_user, login, bearer):
    user = make_user("admin")
    session = login(new_client(app), user)
    token = bearer(user)
    result = cli("reset-password", user.email.upper(), env={"USER_PASSWORD": NEW_PASSWORD})
    assert result.exit_code == 0, result.output
    assert f"Password of {user.email} reset" in result.output and "1 API token(s) were revoked" in result.output
    assert session.get("/").status_code == 302
    assert new_client(app).get("/api/v1/properties/", headers=token).status_code == 401
    login(new_client(app), user, NEW_PASSWORD)
    unknown = cli("reset-password", "ghost@example.com", env={"USER_PASSWORD": NEW_PASSWORD})
    assert unknown.exit_code != 0 and "No user with e-mail ghost@example.com" in unknown.output
    short = cli("reset-password", user.email, env={"USER_PASSWORD": "short"})
    assert short.exit_code != 0 and "At least 8 characters" in short.output
