"""Drill fixtures: the drills run on their OWN PostgreSQL and Redis (see servers.py), so
they can stop and start them. The session fixtures of tests/conftest.py are redefined
here under the same names, so every factory and client helper uses the drill servers.

Measured figures go to test-artifacts/reliability.json (`figures` fixture); RELIABILITY.md
quotes them.
"""
from __future__ import annotations

import io
import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.channels.conftest import (fast_engine, make_connection, run_worker, setup,  # noqa: F401
                                     sim_control, simulator, simulator_server, worker_app)
from tests.conftest import build_config, create_database, drop_database, migrated_app, redis_with_db
from tests.drills.servers import DrillPostgres, DrillRedis
from tests.drills.routes import World, site_host
from tests.factories import day
from tests.live_server import LiveServer, server_env

CHANNEL_SECRET = "drill-channel-access-token-5f2b9c"
ROOT = Path(__file__).resolve().parents[2]
FIGURES_FILE = ROOT / "test-artifacts" / "reliability.json"


@pytest.fixture(scope="session")
def drill_root():
    """The drills' servers keep their files here; removed after the servers stopped."""
    root = Path(tempfile.mkdtemp(prefix="fewo-drills-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def drill_postgres(drill_root):
    server = DrillPostgres(drill_root)
    yield server
    server.close()


@pytest.fixture(scope="session")
def drill_redis(drill_root):
    server = DrillRedis(drill_root / "redis").start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def postgres_server_url(drill_postgres):
    return drill_postgres.admin_url


@pytest.fixture(scope="session")
def database_url(postgres_server_url):
    url = create_database(postgres_server_url, prefix="fewo_drill")
    yield url
    drop_database(postgres_server_url, url)


@pytest.fixture(scope="session")
def redis_server_url(drill_redis):
    return drill_redis.url


@pytest.fixture(scope="session")
def redis_url(redis_server_url):
    return redis_with_db(redis_server_url, 1)


@pytest.fixture(scope="session")
def app_config(database_url, redis_url):
    return build_config(database_url, redis_url, ENABLE_OPS_CONSOLE=True)


@pytest.fixture(scope="session")
def app(app_config):
    return migrated_app(app_config)


@pytest.fixture
def ensure_servers_up(drill_postgres, drill_redis):
    """A drill that stops a server gets it back afterwards even when it fails halfway."""
    yield
    if drill_redis.process is None:
        drill_redis.start()
    try:
        drill_postgres.start()  # no-op error when it already runs
    except Exception:  # noqa: BLE001 - pg_ctl start on a running server exits non-zero
        pass


@pytest.fixture
def gunicorn(app, app_config):
    """Start a gunicorn on the drill servers: gunicorn(**env_overrides) -> LiveServer."""
    servers: list[LiveServer] = []

    def start(workers: int = 2, **env: str) -> LiveServer:
        server = LiveServer(server_env(app_config, **env), workers=workers)
        servers.append(server.start())
        return server
    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def build_world(app, client, make_user, bearer):
    """An agency with an admin and one of each resource, created through the API."""
    def build() -> World:
        admin = make_user("admin")
        world = World(agency=admin.agency, admin=admin, headers=bearer(admin))

        def create(path: str, body: dict) -> str:
            response = client.post(path, json=body, headers=world.headers)
            assert response.status_code == 201, response.get_data(as_text=True)
            return response.get_json()["id"]

        prop = create("/api/v1/properties/", {"name": "Seeblick"})
        world.ids.update(
            property_id=prop,
            guest_id=create("/api/v1/guests/", {"first_name": "Ada", "last_name": "Lovelace"}),
            booking_id=create("/api/v1/bookings/", {"property_id": prop, "check_in": str(day(10)),
                                                    "check_out": str(day(12))}),
            block_id=create("/api/v1/availability/blocks", {"property_id": prop, "start_date": str(day(20)),
                                                            "end_date": str(day(22))}),
            season_id=create(f"/api/v1/properties/{prop}/seasons/", {"name": "Summer", "start_date": str(day(30)),
                                                                     "end_date": str(day(40)), "nightly_rate": 150}),
            extra_id=create("/api/v1/extra-services/", {"name": "Cot", "price": 5, "billing_unit": "per_unit_night"}),
            rule_id=create("/api/v1/visitor-tax-rules/", {"name": "Kurtaxe", "amount_per_adult_night": 2.5}),
            page_id=create("/api/v1/website-pages/", {"slug": "about", "title": "About us",
                                                      "blocks": [{"type": "text", "paragraphs": ["Welcome"]}]}))
        connection = client.post("/api/v1/channel-connections/?skip_connection_test=true", headers=world.headers,
                                 json={"property_id": prop, "platform_type": "airbnb",
                                       "platform_listing_id": "listing-1", "access_token": CHANNEL_SECRET})
        assert connection.status_code == 201, connection.get_data(as_text=True)
        world.ids["connection_id"] = connection.get_json()["id"]
        sync = client.post(f"/api/v1/channel-connections/{world.ids['connection_id']}/sync",
                           headers=world.headers, json={"sync_type": "availability"})
        assert sync.status_code == 200, sync.get_data(as_text=True)
        world.ids["batch_id"] = sync.get_json()["batch_id"]
        logs = client.get(f"/api/v1/channel-connections/{world.ids['connection_id']}/sync-logs", headers=world.headers)
        world.ids["log_id"] = logs.get_json()["logs"][0]["id"]
        world.ids["conflict_id"] = overbooking_conflict(app, world)
        world.ids.update(team_rows(app, world))
        world.ids["domain_id"] = website_domain(app, world)
        world.ids["amenity_id"] = create("/api/v1/amenities/", {"name": "WLAN", "icon": "wifi"})
        world.ids["photo_id"] = property_photo(client, world)
        return world
    return build


def website_domain(app, world: World) -> str:
    """A host of the agency's public website (the Domains page, not the API, adds them)."""
    from app.extensions import db
    from app.public import domains

    with app.app_context():
        domain = domains.add_domain(world.agency.id, site_host(world))
        db.session.commit()
        return str(domain.id)


def property_photo(client, world: World) -> str:
    """A photo of the world's property (uploaded as multipart, the one API body that is not JSON)."""
    image = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(image, "JPEG")
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(image.getvalue()), filename="drill.jpg")})
    response = client.post(f"/api/v1/properties/{world.ids['property_id']}/photos/", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}", headers=world.headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def team_rows(app, world: World) -> dict:
    """The admin's membership, an open invitation and an outbox message (pages, not the API, create them)."""
    from app.auth import team
    from app.auth.models import TeamMember
    from app.extensions import db

    with app.app_context():
        member = db.session.scalars(db.select(TeamMember).where(TeamMember.agency_id == world.agency.id)).one()
        issued = team.invite(world.agency.id, f"drill-{world.agency.slug}@example.com", "staff",
                             db.session.merge(world.admin), lambda token: f"/invitations/{token}")
        db.session.commit()
        return {"member_id": str(member.id), "invitation_id": str(issued.invitation.id),
                "email_id": str(issued.email.id)}


def overbooking_conflict(app, world: World) -> str:
    """An open conflict of the world's connection (recorded by iCal imports; no API creates one)."""
    from app.channels.models import ChannelConflict
    from app.extensions import db

    with app.app_context():
        conflict = ChannelConflict(agency_id=world.agency.id, connection_id=world.ids["connection_id"],
                                   property_id=world.ids["property_id"], external_uid="drill-evt",
                                   start_date=day(10), end_date=day(12), collided_kind="booking",
                                   collided_source_id=world.ids["booking_id"])
        db.session.add(conflict)
        db.session.commit()
        return str(conflict.id)


class Figures:
    """Measured figures per drill, merged into test-artifacts/reliability.json."""

    def __init__(self):
        self.data: dict[str, dict] = {}

    def record(self, drill: str, **values) -> None:
        self.data.setdefault(drill, {}).update(values)

    def save(self) -> None:
        FIGURES_FILE.parent.mkdir(exist_ok=True)
        existing = json.loads(FIGURES_FILE.read_text()) if FIGURES_FILE.exists() else {}
        existing.update({name: {**values, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                         for name, values in self.data.items()})
        FIGURES_FILE.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")


@pytest.fixture(scope="session")
def figures():
    recorder = Figures()
    yield recorder
    recorder.save()


def wait_for(predicate, timeout: float, interval: float = 0.05):
    """Poll `predicate` until it returns a truthy value; (value, seconds waited) or AssertionError."""
    started = time.monotonic()
    while True:
        value = predicate()
        if value:
            return value, time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)

