"""Drill: no double booking under chaos. For DRILL_CHAOS_SECONDS (default 10; the full drill is
30: `DRILL_CHAOS_SECONDS=30 .venv/bin/python -m pytest tests/drills/test_chaos_bookings.py`)
clients book, block and cancel random stays on ONE property through gunicorn while the
channel's iCal feed changes and is imported again and again. Afterwards no two active ranges
overlap, every range has its owner, and every 409 was an inventory overlap.
"""
from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter

import pytest
import requests
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import text

from tests.factories import DEFAULT_PASSWORD, day
from tests.inventory.checks import CONSISTENT, inventory_problems

pytestmark = pytest.mark.slow
CHAOS_SECONDS = float(os.environ.get("DRILL_CHAOS_SECONDS", "10"))
CLIENTS = 6
WINDOW_DAYS = 40


def random_stay(rng: random.Random) -> tuple[str, str]:
    start = rng.randrange(1, WINDOW_DAYS)
    return str(day(start)), str(day(start + rng.randrange(1, 5)))


class Chaos:
    """Shared tallies of what the clients tried and got."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.unexpected: list = []

    def running(self) -> bool:
        return time.monotonic() < self.deadline

    def note(self, kind: str, response: requests.Response, expected=(200, 201, 204, 409)) -> None:
        with self.lock:
            self.statuses[(kind, response.status_code)] += 1
            if response.status_code not in expected:
                self.unexpected.append((kind, response.status_code, response.text[:200]))
            elif response.status_code == 409 and kind in ("booking", "block"):
                if response.json().get("conflict_type") != "inventory_overlap":
                    self.unexpected.append((kind, 409, response.text[:200]))


def booker(chaos: Chaos, base: str, headers: dict, prop, seed: int) -> None:
    rng, session = random.Random(seed), requests.Session()
    session.headers.update(headers)
    mine: list[str] = []
    while chaos.running():
        check_in, check_out = random_stay(rng)
        roll = rng.random()
        if roll < 0.55:
            response = session.post(f"{base}/api/v1/bookings/", json={"property_id": str(prop.id),
                                                                      "check_in": check_in, "check_out": check_out})
            chaos.note("booking", response)
            if response.status_code == 201:
                mine.append(response.json()["id"])
        elif roll < 0.85:
            response = session.post(f"{base}/api/v1/availability/blocks",
                                    json={"property_id": str(prop.id), "start_date": check_in, "end_date": check_out})
            chaos.note("block", response)
        elif mine:
            response = session.patch(f"{base}/api/v1/bookings/{mine.pop(rng.randrange(len(mine)))}",
                                     json={"status": "cancelled"})
            chaos.note("cancel", response)


def feed_body(rng: random.Random) -> str:
    events = []
    for index in range(rng.randrange(1, 4)):
        start = day(rng.randrange(1, WINDOW_DAYS))
        end = start + (day(2) - day(1)) * rng.randrange(1, 5)
        events.append(f"BEGIN:VEVENT\r\nUID:chaos-{index}\r\nDTSTART;VALUE=DATE:{start:%Y%m%d}\r\n"
                      f"DTEND;VALUE=DATE:{end:%Y%m%d}\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n")
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sim//EN\r\n{''.join(events)}END:VCALENDAR\r\n"


def importer(chaos: Chaos, base: str, headers: dict, connection, simulator, redis_url: str) -> None:
    rng = random.Random(99)
    worker = SimpleWorker(["channels"], connection=Redis.from_url(redis_url))
    while chaos.running():
        requests.put(f"{simulator.url}/_sim/feeds/chaos", data=feed_body(rng), timeout=5)
        response = requests.post(f"{base}/api/v1/channel-connections/{connection.id}/sync", headers=headers,
                                 json={"sync_type": "bookings", "confirm_feed_shrink": True}, timeout=10)
        chaos.note("ical_trigger", response, expected=(200, 409))
        worker.work(burst=True, logging_level="ERROR")
        with chaos.lock:
            chaos.statuses[("ical_import", "run")] += 1


def test_no_overlap_after_concurrent_bookings_blocks_and_ical_imports(
        app, gunicorn, setup, simulator, figures):
    from app.extensions import db

    user, _, prop, connection = setup(ical_import_url=f"{simulator.url}/feeds/chaos.ics")
    server = gunicorn(workers=2, AUTH_RATE_LIMIT="1000 per minute")
    headers = {"Authorization": f"Bearer {server.token(user.email, DEFAULT_PASSWORD)}"}
    chaos = Chaos(CHAOS_SECONDS)
    threads = [threading.Thread(target=booker, args=(chaos, server.url, headers, prop, seed))
               for seed in range(CLIENTS)]
    for thread in threads:
        thread.start()
    # RQ's worker needs the main thread (signal handlers): the imports run here meanwhile
    importer(chaos, server.url, headers, connection, simulator, app.config["REDIS_URL"])
    for thread in threads:
        thread.join(CHAOS_SECONDS + 60)
    with app.app_context():
        problems = inventory_problems(db.session)
        imports = db.session.execute(text("SELECT status, error FROM channel_sync_logs "
                                          "WHERE operation_type = 'bookings_sync'")).all()
        db.session.remove()
    assert problems == CONSISTENT
    assert chaos.unexpected == []
    tried = sum(count for (kind, status), count in chaos.statuses.items() if status != "run")
    created = chaos.statuses[("booking", 201)] + chaos.statuses[("block", 201)]
    assert created > 0 and imports, chaos.statuses
    # an import ends success, or failed naming the events that met existing occupancy (the rest imported)
    assert all(status == "success" or (status == "failed" and "overlaps existing occupancy" in error)
               for status, error in imports), imports
    figures.record("chaos_no_double_booking", seconds=CHAOS_SECONDS, requests_tried=tried,
                   bookings_created=chaos.statuses[("booking", 201)], blocks_created=chaos.statuses[("block", 201)],
                   overlaps_refused_409=chaos.statuses[("booking", 409)] + chaos.statuses[("block", 409)],
                   cancellations=chaos.statuses[("cancel", 200)], ical_imports=len(imports),
                   ical_imports_with_refused_events=sum(status == "failed" for status, _ in imports),
                   server_errors=sum(count for (kind, status), count in chaos.statuses.items()
                                     if isinstance(status, int) and status >= 500),
                   overlapping_active_ranges=problems["overlapping_active_ranges"])
