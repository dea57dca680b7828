"""`pricing_update` pushes the engine's rates: only changed dates, coalesced into ranges (real worker,
channel simulator over HTTP)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from tests.factories import committed
from tests.jobs.test_channels import logs_of, trigger

WINDOW = 30


def push(client, headers, connection, run_worker, start: date) -> dict:
    trigger(client, headers, connection, "pricing", start_date=str(start),
            end_date=str(start + timedelta(days=WINDOW)))
    run_worker()
    log = logs_of(client, headers, connection)[0]
    assert log["status"] == "success", log
    return log["details"]


def test_pricing_push_sends_only_changed_dates_as_ranges(app, client, setup, run_worker, sim_requests):
    from app.pricing import service as pricing

    _, headers, prop, connection = setup()
    start = date.today() + timedelta(days=1)
    season = committed(app, lambda: pricing.create_season(
        prop.agency_id, prop.id, name="Summer", start_date=start + timedelta(days=10),
        end_date=start + timedelta(days=20), nightly_rate=Decimal("150"), min_stay_nights=3))
    first = push(client, headers, connection, run_worker, start)
    assert (first["dates_changed"], first["ranges_sent"]) == (WINDOW, 3)  # base, summer, base
    [request] = [r for r in sim_requests("/airbnb/") if r["path"].endswith("/rates")]
    ranges = json.loads(request["body"])["ranges"]
    assert [(r["nightly_rate"], r["min_stay"]) for r in ranges] == [("0.00", 1), ("150.00", 3), ("0.00", 1)]
    assert ranges[1]["start_date"] == str(start + timedelta(days=10))

    unchanged = push(client, headers, connection, run_worker, start)
    assert (unchanged["dates_changed"], unchanged["ranges_sent"]) == (0, 0)

    committed(app, lambda: pricing.update_season(prop.agency_id, season.id, nightly_rate=Decimal("170"),
                                                 end_date=start + timedelta(days=22)))
    edited = push(client, headers, connection, run_worker, start)
    assert (edited["dates_changed"], edited["ranges_sent"]) == (12, 1)
    last = [r for r in sim_requests("/airbnb/") if r["path"].endswith("/rates")][-1]
    assert [(r["start_date"], r["end_date"], r["nightly_rate"]) for r in json.loads(last["body"])["ranges"]] == [
        (str(start + timedelta(days=10)), str(start + timedelta(days=22)), "170.00")]


def test_a_failed_push_is_sent_again(client, setup, run_worker, sim_control):
    _, headers, _, connection = setup()
    start = date.today() + timedelta(days=1)
    sim_control("faults", mode="error", status=422)
    trigger(client, headers, connection, "pricing", start_date=str(start), end_date=str(start + timedelta(days=WINDOW)))
    run_worker()
    assert logs_of(client, headers, connection)[0]["status"] == "failed"
    sim_control("faults", mode="ok")
    assert push(client, headers, connection, run_worker, start)["dates_changed"] == WINDOW
