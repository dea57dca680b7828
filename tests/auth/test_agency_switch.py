"""Members of several agencies: the user menu's agency switcher and tokens for a chosen agency."""
from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD


def add_membership(app, user, agency, role="manager"):
    from app.auth.models import TeamMember
    from app.extensions import db

    with app.app_context():
        db.session.add(TeamMember(user_id=user.id, agency_id=agency.id, role=role))
        db.session.commit()


def token_for(client, user, **extra):
    return client.post("/api/v1/auth/token", json={"email": user.email, "password": DEFAULT_PASSWORD, **extra})


def test_switcher_shown_only_to_members_of_several_agencies(app, make_user, make_agency, login, client):
    user = make_user("admin", agency=make_agency("Seeblick Ferien"))
    login(client, user)
    assert 'id="agency-switcher"' not in client.get("/").get_data(as_text=True)
    add_membership(app, user, make_agency("Alpen Chalets"))
    page = client.get("/").get_data(as_text=True)
    assert 'id="agency-switcher"' in page
    assert '<option value="seeblick-ferien" selected>Seeblick Ferien</option>' in page
    assert '<option value="alpen-chalets" >Alpen Chalets</option>' in page


def test_switching_changes_the_agency_of_every_page(app, make_user, make_agency, make_property, login, client):
    home, other = make_agency("Home Agency"), make_agency("Other Agency")
    user = make_user("admin", agency=home)
    add_membership(app, user, other, role="staff")
    make_property(agency=home, name="Haus am See")
    make_property(agency=other, name="Berghuette")
    login(client, user)
    assert "Haus am See" in client.get("/properties").get_data(as_text=True)

    switched = client.post("/account/agency", data={"agency": "other-agency"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/"
    page = client.get("/properties").get_data(as_text=True)
    assert "Berghuette" in page and "Haus am See" not in page
    assert '<span class="muted">staff</span>' in page  # the account menu names the role in that agency
    assert "Berghuette" in client.get("/api/v1/properties/").get_data(as_text=True)


def test_switching_to_a_foreign_or_unknown_agency_is_404_and_changes_nothing(app, make_user, make_agency,
                                                                             login, client):
    user = make_user("admin", agency=make_agency("Mine"))
    make_user("admin", agency=make_agency("Theirs"))
    login(client, user)
    for slug in ("theirs", "does-not-exist", ""):
        assert client.post("/account/agency", data={"agency": slug}).status_code == 404
    assert client.post("/account/agency", data={"agency": "mine"}, headers={"X-CSRFToken": ""}).status_code == 400
    assert client.get("/api/v1/properties/").status_code == 200


def test_token_for_a_chosen_agency(app, client, make_user, make_agency):
    home, other = make_agency("Token Home"), make_agency("Token Other")
    user = make_user("admin", agency=home)
    add_membership(app, user, other, role="manager")

    default = token_for(client, user)
    assert default.status_code == 200 and default.get_json()["agency"] == "token-home"
    chosen = token_for(client, user, agency="token-other")
    assert chosen.status_code == 200 and chosen.get_json()["agency"] == "token-other"

    from app.auth.models import ApiToken
    from app.extensions import db

    with app.app_context():
        token = db.session.scalars(db.select(ApiToken).order_by(ApiToken.created_at.desc())).first()
        assert token.agency_id == other.id


def test_token_agency_errors(app, client, make_user, make_agency):
    user = make_user("admin", agency=make_agency("Only Mine"))
    make_agency("Not Mine")
    for slug in ("not-mine", "nowhere"):
        response = token_for(client, user, agency=slug)
        assert (response.status_code, response.get_json()) == (404, {"detail": "Agency not found"})
    empty = token_for(client, user, agency="")
    assert empty.status_code == 422 and empty.get_json()["detail"][0]["loc"] == ["agency"]
    wrong_password = client.post("/api/v1/auth/token", json={"email": user.email, "password": "x",
                                                              "agency": "not-mine"})
    assert wrong_password.status_code == 401  # credentials first: nothing about agencies leaks
