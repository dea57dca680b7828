"""Random sequences of booking and block writes (hypothesis stateful testing).

After every step: no two active ranges overlap, every stay and block owns the
right ranges, and the availability API shows exactly the stays and blocks the
model expects. Each write's outcome is predicted from the availability API
first, so "free there" must mean "a booking succeeds".
"""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, multiple, rule, run_state_machine_as_test

from app.extensions import db
from app.inventory.service import TRANSITIONS
from tests.factories import day
from tests.inventory.checks import CONSISTENT, inventory_problems

OCCUPYING = {"pending", "confirmed", "checked_in", "checked_out"}
DATE_EDITABLE = {"inquiry", "pending", "confirmed", "checked_in"}
HORIZON = 40  # days ahead that the machine books in: small, so collisions are frequent
starts = st.integers(1, HORIZON)
nights = st.integers(1, 5)


class InventoryMachine(RuleBasedStateMachine):
    """Bound to an app, an admin Api and a property factory by `bind` before it runs."""
    bookings = Bundle("bookings")
    blocks = Bundle("blocks")
    app = api = new_property = None

    @classmethod
    def bind(cls, app, api, new_property):
        return type("BoundInventoryMachine", (cls,), {
            "app": app, "api": api, "new_property": staticmethod(new_property)})

    def __init__(self):
        super().__init__()
        self.properties = [self.new_property(), self.new_property()]
        self.stays = {}  # booking id -> [property, status, start, end]
        self.closed = {}  # block id -> (property, start, end)

    def taken(self, prop, start, end, ignore=None) -> bool:
        """What the availability API says about [start, end), leaving out one range."""
        ranges = self.api.get("/api/v1/availability", query_string={
            "property_id": str(prop.id), "from_date": str(day(start)), "to_date": str(day(end))}).get_json()
        return any(ignore is None or r["booking_id"] != ignore for r in ranges["ranges"])

    @rule(target=bookings, index=st.integers(0, 1), start=starts, length=nights,
          status=st.sampled_from(["inquiry", "pending", "confirmed"]))
    def create_booking(self, index, start, length, status):
        prop = self.properties[index]
        expected = 409 if status in OCCUPYING and self.taken(prop, start, start + length) else 201
        response = self.api.book(prop, day(start), day(start + length), status=status)
        assert response.status_code == expected, (response.status_code, response.get_data(as_text=True))
        if expected == 409:
            return multiple()
        self.stays[response.get_json()["id"]] = [prop, status, start, start + length]
        return response.get_json()["id"]

    @rule(booking=bookings, start=starts, length=nights)
    def move_booking(self, booking, start, length):
        prop, status, *_ = self.stays[booking]
        if status not in DATE_EDITABLE:
            expected = 422
        elif status in OCCUPYING and self.taken(prop, start, start + length, ignore=booking):
            expected = 409
        else:
            expected = 200
        response = self.api.patch(f"/api/v1/bookings/{booking}", json={
            "check_in": str(day(start)), "check_out": str(day(start + length))})
        assert response.status_code == expected, (response.status_code, response.get_data(as_text=True))
        if expected == 200:
            self.stays[booking][2:] = [start, start + length]

    @rule(booking=bookings, status=st.sampled_from(sorted(TRANSITIONS)))
    def change_status(self, booking, status):
        prop, current, start, end = self.stays[booking]
        if status != current and status not in TRANSITIONS[current]:
            expected = 422
        elif status in OCCUPYING and current not in OCCUPYING and self.taken(prop, start, end):
            expected = 409
        else:
            expected = 200
        response = self.api.patch(f"/api/v1/bookings/{booking}", json={"status": status})
        assert response.status_code == expected, (response.status_code, response.get_data(as_text=True))
        if expected == 200:
            self.stays[booking][1] = status

    @rule(target=blocks, index=st.integers(0, 1), start=starts, length=nights)
    def create_block(self, index, start, length):
        prop = self.properties[index]
        expected = 409 if self.taken(prop, start, start + length) else 201
        response = self.api.post("/api/v1/availability/blocks", json={
            "property_id": str(prop.id), "start_date": str(day(start)), "end_date": str(day(start + length))})
        assert response.status_code == expected, (response.status_code, response.get_data(as_text=True))
        if expected == 409:
            return multiple()
        self.closed[response.get_json()["id"]] = (prop, start, start + length)
        return response.get_json()["id"]

    @rule(block=consumes(blocks))
    def delete_block(self, block):
        assert self.api.delete(f"/api/v1/availability/blocks/{block}").status_code == 204
        del self.closed[block]

    @invariant()
    def inventory_is_consistent(self):
        with self.app.app_context():
            assert inventory_problems(db.session) == CONSISTENT
            db.session.remove()

    @invariant()
    def availability_matches_the_model(self):
        for prop in self.properties:
            expected = sorted(
                [(str(day(s)), str(day(e)), "booked") for p, status, s, e in self.stays.values()
                 if p is prop and status in OCCUPYING]
                + [(str(day(s)), str(day(e)), "blocked") for p, s, e in self.closed.values() if p is prop])
            body = self.api.get("/api/v1/availability", query_string={
                "property_id": str(prop.id), "from_date": str(day(0)), "to_date": str(day(HORIZON + 6))})
            assert sorted((r["start_date"], r["end_date"], r["state"]) for r in body.get_json()["ranges"]) \
                == expected


def test_random_booking_and_block_writes_keep_inventory_consistent(app, admin_api, make_property):
    machine = InventoryMachine.bind(app, admin_api, lambda: make_property(admin_api.agency))
    # No shrinking: it can take minutes over HTTP; a failure prints its full step list instead.
    run_state_machine_as_test(machine, settings=settings(
        max_examples=10, stateful_step_count=30, deadline=None, database=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow]))
