"""A quote through `POST /api/v1/quotes` vs the pricing engine called in-process, in the same run.

The property has two seasons (one crossed by the stay), three extra services (a mandatory final
cleaning per stay, bed linen per person, a cot per unit and night, all requested) and a visitor-tax
rule with child bands; the stay is 14 nights for 2 adults and children of 4 and 15. The API figure
includes HTTP, auth, validation, loading the rows and the occupancy check; the baseline is only
`engine.quote()` over the rows loaded once.
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from bench.measure import Outcome, latency_rows, timed
from bench.stack import Stack
from bench.workload import api_session, make_properties, timed_loop

NAME = "quote"
NIGHTS = 14
EXTRAS = ({"name": "Final cleaning", "price": Decimal("65"), "billing_unit": "per_stay", "is_mandatory": True},
          {"name": "Bed linen", "price": Decimal("14.50"), "billing_unit": "per_person"},
          {"name": "Cot", "price": Decimal("6"), "billing_unit": "per_unit_night", "max_quantity": 2})


def priced_property(stack: Stack, check_in: date) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A property with seasons around the stay, three assigned extras and a visitor-tax rule."""
    from app.extensions import db
    from app.inventory.models import Property
    from app.pricing import service

    (property_id,) = make_properties(stack, 1, "Quote")
    with stack.app.app_context():
        agency_id = stack.agency_id
        service.create_season(agency_id, property_id, name="Low", start_date=check_in - timedelta(days=30),
                              end_date=check_in + timedelta(days=5), nightly_rate=Decimal("120"))
        service.create_season(agency_id, property_id, name="High", start_date=check_in + timedelta(days=5),
                              end_date=check_in + timedelta(days=60), nightly_rate=Decimal("180"),
                              weekend_rate=Decimal("210"), min_stay_nights=7)
        extras = [service.create_extra_service(agency_id, **fields).id for fields in EXTRAS]
        service.set_property_extras(agency_id, property_id, [(extra_id, None) for extra_id in extras])
        rule = service.create_tax_rule(
            agency_id, name="Kurtaxe", municipality="Bench", amount_per_adult_night=Decimal("3.50"),
            child_bands=[{"min_age": 0, "max_age": 5, "amount": 0}, {"min_age": 6, "max_age": 17, "amount": 1.75}],
            max_nights=21, collected_on_site=True, valid_from=date(2000, 1, 1))
        prop = db.session.get(Property, property_id)
        prop.visitor_tax_rule_id, prop.max_guests = rule.id, 4
        db.session.commit()
    return property_id, extras


def run(stack: Stack, scale) -> Outcome:
    from app.pricing import engine, service

    check_in = date.today() + timedelta(days=60)
    property_id, extras = priced_property(stack, check_in)
    body = {"property_id": str(property_id), "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=NIGHTS)).isoformat(), "adults": 2, "children_ages": [4, 15],
            "extras": [{"extra_service_id": str(extra_id), "quantity": 1} for extra_id in extras]}
    with stack.app.app_context():
        prop = service.get_pricing_property(stack.agency_id, property_id)
        rows = service.pricing_of(prop, check_in, check_in + timedelta(days=NIGHTS))
    stay = engine.StayRequest(check_in, check_in + timedelta(days=NIGHTS), 2, (4, 15), None,
                              tuple(engine.ExtraRequest(extra_id, 1) for extra_id in extras))
    expected = engine.quote(rows, stay).total
    url = f"{stack.web().url}/api/v1/quotes"
    with api_session(stack.token()) as session:
        def call_api(_number: int) -> None:
            response = session.post(url, json=body, timeout=30)
            if response.status_code != 200 or Decimal(str(response.json()["total"])) != expected:
                raise RuntimeError(f"quote answered {response.status_code}: {response.text[:300]}")
        call_api(0)  # warm the connection and the server's pool
        api = timed_loop(scale.quote_requests, call_api)["latencies"]
    timed(lambda: engine.quote(rows, stay))
    in_process = timed_loop(scale.quote_requests, lambda _number: engine.quote(rows, stay))["latencies"]
    label = f"{NIGHTS} nights, 3 extras, visitor tax"
    outcome = Outcome(rows=latency_rows(NAME, label, api, in_process))
    outcome.notes.append(f"quote: total {expected} EUR; baseline = engine.quote() in-process over rows loaded "
                         "once (no HTTP, no database)")
    return outcome
