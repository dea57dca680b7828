"""Factories and client helpers, as fixtures returning callables."""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

DEFAULT_PASSWORD = "correct-horse-battery"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@lru_cache(maxsize=4)
def password_hash(password: str) -> str:
    from app.auth.service import hash_password

    return hash_password(password)


class CsrfClient(FlaskClient):
    """Sends the page's CSRF token in the X-CSRFToken header, as htmx does."""
    csrf_token: str | None = None

    def open(self, *args, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if self.csrf_token and method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def refresh_csrf(self, path: str = "/login") -> str:
        match = CSRF_META.search(self.get(path).get_data(as_text=True))
        self.csrf_token = match.group(1) if match else None
        return self.csrf_token


@pytest.fixture
def client(app):
    app.test_client_class = CsrfClient
    return app.test_client()


@pytest.fixture
def make_agency(app):
    from app.auth.models import Agency
    from app.extensions import db

    def make(name: str | None = None):
        slug = name.lower().replace(" ", "-") if name else f"agency-{secrets.token_hex(3)}"
        with app.app_context():
            agency = Agency(name=name or slug.title(), slug=slug)
            db.session.add(agency)
            db.session.commit()
            db.session.refresh(agency)
            db.session.expunge(agency)
        return agency
    return make


@pytest.fixture
def make_user(app, make_agency):
    from app.auth.models import TeamMember, User
    from app.extensions import db

    def make(role: str = "admin", agency=None, email: str | None = None, password: str = DEFAULT_PASSWORD,
             operator: bool = False):
        agency = agency or make_agency()
        with app.app_context():
            user = User(email=email or f"{role}-{secrets.token_hex(3)}@example.com",
                        password_hash=password_hash(password), display_name=role.title(),
                        session_nonce=secrets.token_hex(16), last_active_agency_id=agency.id,
                        is_operator=operator)
            db.session.add(user)
            db.session.flush()
            db.session.add(TeamMember(user_id=user.id, agency_id=agency.id, role=role))
            db.session.commit()
            db.session.refresh(user)
            user.agency = agency
            db.session.expunge(user)
        return user
    return make


@pytest.fixture
def login(app):
    def do_login(client: CsrfClient, user, password: str = DEFAULT_PASSWORD):
        client.refresh_csrf("/login")
        response = client.post("/login", data={"email": user.email, "password": password,
                                               "csrf_token": client.csrf_token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.refresh_csrf("/")
        return client
    return do_login


@pytest.fixture
def logged_in(app, make_user, login):
    """A new client logged in as a new user of the given role (and agency)."""
    def make(role: str = "admin", agency=None, operator: bool = False):
        app.test_client_class = CsrfClient
        user = make_user(role=role, agency=agency, operator=operator)
        client = login(app.test_client(), user)
        client.user = user
        return client
    return make


@pytest.fixture
def api_token(app):
    from app.auth import service
    from app.extensions import db

    def issue(user, ttl_seconds: int = 3600) -> str:
        with app.app_context():
            raw, _ = service.issue_token(db.session.merge(user), ttl_seconds)
            db.session.commit()
        return raw
    return issue


@pytest.fixture
def bearer(api_token):
    def headers(user) -> dict:
        return {"Authorization": f"Bearer {api_token(user)}"}
    return headers


@pytest.fixture
def register_worker(app):
    """Register an RQ worker as a starting `flask worker` does (RQ's own birth registration)."""
    from redis import Redis

    from app.queue import QUEUES
    from app.queue import PmsWorker

    def register(version: str | None, name: str | None = None):
        worker = PmsWorker(list(QUEUES), connection=Redis.from_url(app.config["REDIS_URL"]), name=name)
        worker.code_version = version
        worker.register_birth()
        return worker
    return register


def hx(headers: dict | None = None) -> dict:
    return {"HX-Request": "true", **(headers or {})}


def committed(app, create):
    """Run `create()` in an app context, commit, and return the new row detached from the session."""
    from app.extensions import db

    with app.app_context():
        row = create()
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
    return row


@pytest.fixture
def media_root(app, tmp_path):
    """Photos stored by this test go to a fresh folder (MEDIA_ROOT)."""
    previous = app.config["MEDIA_ROOT"]
    app.config["MEDIA_ROOT"] = str(tmp_path / "media")
    yield tmp_path / "media"
    app.config["MEDIA_ROOT"] = previous


@pytest.fixture
def make_property(app, make_agency):
    """A property created through the inventory service (committed, detached)."""
    from app.inventory import service

    def make(agency=None, name: str | None = None, **fields):
        agency = agency or make_agency()
        name = name or f"Property {secrets.token_hex(3)}"
        return committed(app, lambda: service.create_property(agency.id, name, **fields))
    return make


@pytest.fixture
def make_booking(app):
    """A booking created through the inventory service: `make_booking(prop, check_in, check_out, **kw)`."""
    from app.inventory import service

    def make(prop, check_in, check_out, **details):
        stay = service.Stay(check_in, check_out)
        return committed(app, lambda: service.create_booking(prop.agency_id, prop.id, stay, **details))
    return make


def day(offset: int) -> date:
    """Today (in Europe/Berlin, the properties' default time zone) plus `offset` days."""
    return datetime.now(ZoneInfo("Europe/Berlin")).date() + timedelta(days=offset)


class Api:
    """JSON calls as one user with a bearer token."""

    def __init__(self, client, user, headers):
        self.client, self.user, self.headers = client, user, headers
        self.agency = user.agency

    def __getattr__(self, method):
        if method not in ("get", "head", "post", "put", "patch", "delete"):
            raise AttributeError(method)

        def call(path, **kwargs):
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return getattr(self.client, method)(path, headers=headers, **kwargs)
        return call

    def book(self, prop, check_in, check_out, headers: dict | None = None, **body):
        """POST /api/v1/bookings/ for `prop`; extra keyword arguments go into the body."""
        return self.post("/api/v1/bookings/", headers=headers or {}, json={
            "property_id": str(prop.id), "check_in": str(check_in), "check_out": str(check_out), **body})


@pytest.fixture
def api_as(client, make_user, bearer):
    """`api_as(role, agency=None)` -> Api for a new user of that role."""
    def make(role: str = "admin", agency=None):
        user = make_user(role=role, agency=agency)
        return Api(client, user, bearer(user))
    return make


@pytest.fixture
def admin_api(api_as):
    """An Api for a new admin of a new agency."""
    return api_as("admin")
