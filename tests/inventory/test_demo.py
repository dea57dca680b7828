"""`flask seed-demo` creates the demo inventory once, through the services."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.inventory.checks import CONSISTENT, inventory_problems


def test_seed_demo_inventory_is_idempotent(app):
    from app.extensions import db
    from app.guests.models import Guest
    from app.inventory.models import AvailabilityBlock, Booking, Property

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--password", "demo-password-1"])
    assert first.exit_code == 0, first.output
    assert "Demo inventory: 5 properties (5 new), 10 bookings, 2 blocks, 4 demo guests" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "Demo inventory: 5 properties (0 new), 10 bookings, 2 blocks, 4 demo guests" in second.output
    assert len(second.output.splitlines()) <= 5
    for output in (first.output, second.output):  # photos and amenities are added once
        assert "Demo listing: 12 amenities, 15 photos" in output
    with app.app_context():
        statuses = set(db.session.scalars(select(Booking.status)))
        assert statuses == {"inquiry", "pending", "confirmed", "checked_in", "checked_out", "cancelled",
                            "declined"}
        assert db.session.scalar(select(func.count()).select_from(Property)) == 5
        assert db.session.scalar(select(func.count()).select_from(AvailabilityBlock)) == 2
        anna = db.session.scalar(select(Guest).where(Guest.email == "anna.schmidt@example.com"))
        assert anna.total_bookings == 2 and anna.first_booking_at < anna.last_booking_at
        assert inventory_problems(db.session) == CONSISTENT
        db.session.remove()
