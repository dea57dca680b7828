"""The inventory smoke scripts pass against the app under gunicorn and leave nothing behind."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.inventory.checks import CONSISTENT, inventory_problems

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def run_script(name: str, live_server, user, **env) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPTS / name)], capture_output=True, text=True, timeout=120, env={
        **os.environ, "API": live_server.url, "EMAIL": user.email, "PASSWORD": DEFAULT_PASSWORD, **env})


def active_ranges(app) -> int:
    from app.extensions import db

    with app.app_context():
        count = db.session.execute(db.text("SELECT count(*) FROM inventory_ranges WHERE state = 'active'")).scalar()
        assert inventory_problems(db.session) == CONSISTENT
        db.session.remove()
    return count


@pytest.mark.slow
def test_smoke_inventory_with_both_opt_in_tests(app, live_server, make_user, make_property):
    user = make_user("manager")
    make_property(user.agency, name="Smoke Loft", min_stay_nights=3)
    result = run_script("smoke_inventory.sh", live_server, user, AVAIL_BLOCK_TEST="true", B2B_TEST="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "availability block conflict test passed" in result.stdout
    assert "back-to-back boundary test passed" in result.stdout
    assert DEFAULT_PASSWORD not in result.stdout + result.stderr
    assert active_ranges(app) == 0  # the block was deleted and both bookings cancelled


@pytest.mark.slow
def test_smoke_inventory_fails_with_a_reason(live_server, make_user):
    result = run_script("smoke_inventory.sh", live_server, make_user("admin"))  # no property at all
    assert result.returncode == 1 and result.stderr.startswith("FAIL: no active property found")


@pytest.mark.slow
def test_booking_concurrency_script(app, live_server, make_user, make_property):
    user = make_user("staff")
    prop = make_property(user.agency, name="Race Flat")
    result = run_script("booking_concurrency.sh", live_server, user, PID=str(prop.id))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "201 x 1, 409 inventory_overlap x 9, other x 0" in result.stdout
    assert active_ranges(app) == 0  # the winner was cancelled
