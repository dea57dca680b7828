"""Channel manager fixtures: connections, inventory rows, sync logs, the simulator and a burst worker."""
from __future__ import annotations

import secrets
from datetime import date

import pytest
from redis import Redis

from app.channels.platforms import PLATFORM_DEFINITIONS
from tests.factories import committed

FAST_ENGINE = {"CHANNELS_RETRY_BASE_SECONDS": 0.05, "CHANNELS_MOCK_DELAY_SECONDS": 0,
               "CHANNELS_LOCK_WAIT_SECONDS": 2, "CHANNELS_HTTP_READ_TIMEOUT_SECONDS": 0.5,
               "CHANNELS_HTTP_CONNECT_TIMEOUT_SECONDS": 0.5, "CHANNELS_MOCK_MODE": False}


@pytest.fixture(autouse=True)
def fast_engine(app, monkeypatch):
    """Retries in tens of milliseconds instead of seconds; real HTTP adapters by default."""
    for key, value in FAST_ENGINE.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def mock_mode(app, monkeypatch):
    monkeypatch.setitem(app.config, "CHANNELS_MOCK_MODE", True)


@pytest.fixture(scope="session")
def simulator_server():
    from devtools.simulator import BackgroundServer

    server = BackgroundServer().start()
    yield server
    server.stop()


@pytest.fixture
def simulator(app, simulator_server, monkeypatch):
    """A healthy, empty simulator that every platform's API settings point at."""
    simulator_server.wsgi_app.reset()
    for name, definition in PLATFORM_DEFINITIONS.items():
        monkeypatch.setitem(app.config, definition.base_setting, f"{simulator_server.url}/{name}")
        for setting in definition.required_settings:
            monkeypatch.setitem(app.config, setting, f"test-{setting.lower()}")
    return simulator_server


@pytest.fixture
def sim_control(simulator):
    """Call the simulator's control endpoints: sim_control("faults", mode="error", times=1)."""
    import requests

    def control(path: str, **body):
        response = requests.post(f"{simulator.url}/_sim/{path}", json=body, timeout=5)
        response.raise_for_status()
        return response.json()
    return control


@pytest.fixture
def sim_requests(simulator):
    import requests

    def fetch(path_prefix: str = "/") -> list[dict]:
        items = requests.get(f"{simulator.url}/_sim/requests", timeout=5).json()
        return [item for item in items if item["path"].startswith(path_prefix)]
    return fetch


@pytest.fixture
def make_connection(app):
    from app.channels import service

    def make(agency, prop=None, platform_type: str = "airbnb", **values):
        values.setdefault("platform_listing_id", f"listing-{secrets.token_hex(3)}")
        return committed(app, lambda: service.create_connection(agency.id, prop.id, platform_type,
                                                                skip_connection_test=True, **values))
    return make


@pytest.fixture
def make_range(app):
    """An active inventory range written directly (what the inventory service keeps for stays)."""
    import uuid

    from app.extensions import db
    from app.inventory.models import InventoryRange

    def make(prop, start: date, end: date, kind: str = "booking", **values):
        source_id = values.pop("source_id", uuid.uuid4())
        def create():
            item = InventoryRange(agency_id=prop.agency_id, property_id=prop.id, start_date=start, end_date=end,
                                  kind=kind, source_id=source_id, **values)
            db.session.add(item)
            return item
        return committed(app, create)
    return make


@pytest.fixture
def write_logs(app):
    """Insert sync logs for a connection: write_logs(connection, [(operation, status, batch_id, age_days)])."""
    import uuid
    from datetime import datetime, timedelta, timezone

    from app.channels.models import ChannelSyncLog
    from app.extensions import db

    def write(connection, rows, **values) -> list[uuid.UUID]:
        now = datetime.now(timezone.utc)
        ids = []
        with app.app_context():
            for index, (operation, status, batch_id, age_days) in enumerate(rows):
                created = now - timedelta(days=age_days, seconds=index)
                log = ChannelSyncLog(tenant_id=connection.agency_id, connection_id=connection.id,
                                     property_id=connection.property_id, batch_id=batch_id,
                                     operation_type=operation, status=status, task_id=str(uuid.uuid4()),
                                     direction="inbound" if operation == "bookings_sync" else "outbound",
                                     details=values.get("details", {"platform": "airbnb"}),
                                     error=values.get("error"), created_at=created, updated_at=created)
                db.session.add(log)
                db.session.flush()
                ids.append(log.id)
            db.session.commit()
        return ids
    return write


@pytest.fixture
def setup(make_user, make_property, make_connection, bearer, simulator):
    """An admin with a property and an active airbnb connection: (user, headers, property, connection)."""
    def build(platform_type: str = "airbnb", role: str = "admin", **connection_values):
        user = make_user(role=role)
        prop = make_property(user.agency)
        connection = make_connection(user.agency, prop, platform_type, **connection_values)
        return user, bearer(user), prop, connection
    return build


@pytest.fixture(autouse=True)
def worker_app(app):
    """Jobs run with the test app (as `flask worker` hands them its app)."""
    import jobs

    jobs.set_worker_app(app)
    yield app
    jobs.set_worker_app(None)


@pytest.fixture
def run_worker(app):
    """Drain the channels queue with the product's RQ worker in burst mode (in this process)."""
    from app.queue import PmsWorker

    def run() -> bool:
        worker = PmsWorker(["channels"], connection=Redis.from_url(app.config["REDIS_URL"]))
        return worker.work(burst=True, logging_level="WARNING")
    return run
