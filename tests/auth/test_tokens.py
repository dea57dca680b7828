"""Bearer tokens: issue, use, expiry, revocation and the exact 401 bodies."""
from __future__ import annotations

from datetime import timedelta

from tests.factories import DEFAULT_PASSWORD


def issue(client, user, password=DEFAULT_PASSWORD):
    return client.post("/api/v1/auth/token", json={"email": user.email, "password": password})


def test_token_issue_and_use(client, make_user):
    user = make_user()
    response = issue(client, user)
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600 and len(body["access_token"]) > 30
    revoke = client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert revoke.status_code == 204


def test_token_is_stored_hashed(app, client, make_user):
    from app.auth.models import ApiToken
    from app.extensions import db

    raw = issue(client, make_user()).get_json()["access_token"]
    with app.app_context():
        stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert raw not in stored and len(stored) == 1


def test_wrong_credentials_same_message_whether_user_exists(client, make_user):
    user = make_user()
    wrong_password = issue(client, user, "nope")
    unknown_user = client.post("/api/v1/auth/token", json={"email": "ghost@example.com", "password": "x"})
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.get_json() == unknown_user.get_json() == {"detail": "Incorrect email or password"}


def test_missing_malformed_expired_and_revoked_tokens(app, client, make_user, api_token):
    from app.auth.models import ApiToken
    from app.extensions import db

    user = make_user()
    assert client.delete("/api/v1/auth/token").get_json() == {"detail": "Not authenticated"}
    bad = client.delete("/api/v1/auth/token", headers={"Authorization": "Bearer not-a-token"})
    assert (bad.status_code, bad.get_json()) == (401, {"detail": "Invalid authentication token"})

    raw = api_token(user)
    with app.app_context():
        token = db.session.scalars(db.select(ApiToken)).one()
        token.expires_at = token.created_at - timedelta(seconds=1)
        db.session.commit()
    expired = client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {raw}"})
    assert (expired.status_code, expired.get_json()) == (401, {"detail": "Token has expired"})

    fresh = api_token(user)
    headers = {"Authorization": f"Bearer {fresh}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    revoked = client.delete("/api/v1/auth/token", headers=headers)
    assert (revoked.status_code, revoked.get_json()) == (401, {"detail": "Invalid authentication token"})


def test_token_request_validation(client):
    missing = client.post("/api/v1/auth/token", json={"email": "a@example.com"})
    assert missing.status_code == 422
    assert missing.get_json()["detail"][0]["loc"] == ["password"]
    malformed = client.post("/api/v1/auth/token", data="{nope", content_type="application/json")
    assert malformed.status_code == 422
    assert malformed.get_json()["detail"][0]["type"] == "json_invalid"
    wrong_type = client.post("/api/v1/auth/token", json={"email": 1, "password": ["x"]})
    assert wrong_type.status_code == 422 and len(wrong_type.get_json()["detail"]) == 2


def test_token_endpoint_is_rate_limited(app, client, make_user):
    user = make_user()
    limit = int(app.config["AUTH_RATE_LIMIT"].split()[0])
    statuses = [issue(client, user, "nope").status_code for _ in range(limit + 1)]
    assert statuses[-1] == 429 and statuses[:limit] == [401] * limit
    assert issue(client, user, "nope").get_json()["detail"].startswith("Too many attempts")


def test_token_use_is_recorded_at_most_once_a_minute(app, client, make_user):
    """A write per request would queue concurrent requests of one token on its row lock."""
    from app.auth import service
    from app.auth.models import ApiToken
    from app.extensions import db

    user = make_user()
    raw = issue(client, user).get_json()["access_token"]
    with app.app_context():
        service.resolve_token(raw)
        db.session.commit()
        first = db.session.scalar(db.select(ApiToken.last_used_at))
        service.resolve_token(raw)
        assert not db.session.dirty  # used again within the minute: nothing to write
        token = db.session.scalar(db.select(ApiToken))
        token.last_used_at = first - service.TOKEN_TOUCH_INTERVAL - timedelta(seconds=1)
        db.session.commit()
        service.resolve_token(raw)
        db.session.commit()
        assert db.session.scalar(db.select(ApiToken.last_used_at)) > first


def test_a_read_request_records_the_token_use(app, admin_api):
    """Reads roll their transaction back; the use is recorded on its own and survives that."""
    from app.auth.models import ApiToken
    from app.extensions import db

    assert admin_api.get("/api/v1/properties/").status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken.last_used_at)) is not None
