"""Inventory service: database guards, channel holds, guest metrics, deadlock retries."""
from __future__ import annotations

import threading
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from tests.factories import day


@pytest.fixture
def inventory(app):
    """(service, db) inside an app context; the session is rolled back afterwards."""
    from app.extensions import db
    from app.inventory import service

    with app.app_context():
        yield service, db
        db.session.rollback()


def stay(start: int, end: int):
    from app.inventory.service import Stay

    return Stay(day(start), day(end))


def active_ranges(db, property_id):
    from app.inventory.models import InventoryRange

    return db.session.execute(select(InventoryRange.kind, InventoryRange.start_date, InventoryRange.end_date).where(
        InventoryRange.property_id == property_id, InventoryRange.state == "active")
        .order_by(InventoryRange.start_date)).all()


def test_exactly_four_exclusion_constraints(inventory):
    _, db = inventory
    rows = db.session.execute(text("SELECT conrelid::regclass::text, conname FROM pg_constraint "
                                   "WHERE contype = 'x' ORDER BY conname")).all()
    assert rows == [("availability_blocks", "availability_blocks_no_overlap"),
                    ("inventory_ranges", "inventory_ranges_no_overlap"), ("bookings", "no_double_bookings"),
                    ("rate_seasons", "rate_seasons_no_overlap")]


def test_database_rejects_overlapping_rows_written_around_the_service(inventory, make_property):
    """Even without the service's ranges, each constraint turns an overlap into BookingConflict."""
    from app.inventory.errors import BookingConflict, guarded_write
    from app.inventory.models import AvailabilityBlock, Booking, InventoryRange

    service, db = inventory
    prop = make_property()
    rows = (
        lambda: Booking(agency_id=prop.agency_id, property_id=prop.id, check_in=day(1), check_out=day(4)),
        lambda: AvailabilityBlock(agency_id=prop.agency_id, property_id=prop.id, start_date=day(1),
                                  end_date=day(4)),
        lambda: InventoryRange(agency_id=prop.agency_id, property_id=prop.id, start_date=day(1), end_date=day(4),
                               kind="block", source_id=uuid.uuid4()),
    )
    for make_row in rows:
        with guarded_write():
            db.session.add(make_row())
        with pytest.raises(BookingConflict) as caught:
            with guarded_write():
                db.session.add(make_row())
        assert caught.value.payload() == {"detail": "Property is already booked for these dates",
                                          "conflict_type": "inventory_overlap"}


def test_every_occupying_booking_and_block_owns_one_active_range(inventory, make_property):
    service, db = inventory
    prop = make_property()
    confirmed = service.create_booking(prop.agency_id, prop.id, stay(1, 3))
    service.create_booking(prop.agency_id, prop.id, stay(1, 3), status="inquiry")
    blocked = service.create_block(prop.agency_id, prop.id, stay(5, 6), "maintenance")
    assert active_ranges(db, prop.id) == [("booking", day(1), day(3)), ("block", day(5), day(6))]
    service.update_booking(prop.agency_id, confirmed.id, service.BookingChanges(check_in=day(2), check_out=day(4)))
    service.delete_block(prop.agency_id, blocked.id)
    assert active_ranges(db, prop.id) == [("booking", day(2), day(4))]
    service.cancel_booking(prop.agency_id, confirmed.id, reason="guest ill")
    assert active_ranges(db, prop.id) == [] and confirmed.cancellation_reason == "guest ill"


def test_channel_holds_upsert_move_conflict_and_release(inventory, make_property):
    from app.inventory.errors import BookingConflict

    service, db = inventory
    prop, connection = make_property(), uuid.uuid4()
    hold = service.upsert_channel_hold(prop.agency_id, prop.id, connection, "evt-1@airbnb", day(10), day(12))
    assert service.upsert_channel_hold(prop.agency_id, prop.id, connection, "evt-1@airbnb", day(10), day(12)) is hold
    service.upsert_channel_hold(prop.agency_id, prop.id, connection, "evt-1@airbnb", day(11), day(14))
    service.upsert_channel_hold(prop.agency_id, prop.id, connection, "evt-2@airbnb", day(20), day(21))
    service.create_booking(prop.agency_id, prop.id, stay(30, 32))
    with pytest.raises(BookingConflict):  # an overbooking: the import records it and goes on
        service.upsert_channel_hold(prop.agency_id, prop.id, connection, "evt-3@airbnb", day(31), day(33))
    with pytest.raises(BookingConflict), db.session.begin_nested():  # a caller going on brings its savepoint
        service.create_booking(prop.agency_id, prop.id, stay(13, 15))
    window = service.list_active_ranges(prop.agency_id, stay(0, 40), [prop.id])
    assert [(r.kind, r.state, r.start_date, r.external_uid, r.connection_id) for r in window] == [
        ("channel_hold", "held", day(11), "evt-1@airbnb", connection),
        ("channel_hold", "held", day(20), "evt-2@airbnb", connection),
        ("booking", "booked", day(30), None, None)]
    assert service.release_channel_holds(prop.agency_id, connection, keep_uids=["evt-2@airbnb"]) == 1
    assert service.create_booking(prop.agency_id, prop.id, stay(13, 15)).status == "confirmed"
    assert service.release_channel_holds(prop.agency_id, connection, keep_uids=[]) == 1
    assert active_ranges(db, prop.id) == [("booking", day(13), day(15)), ("booking", day(30), day(32))]


def test_guest_metrics_follow_every_booking_write(inventory, make_property):
    service, db = inventory
    prop = make_property(base_nightly_rate=Decimal("100"))
    details = service.GuestDetails("Grace", "Hopper", "grace@example.com")
    first = service.create_booking(prop.agency_id, prop.id, stay(10, 12), guest=details)
    second = service.create_booking(prop.agency_id, prop.id, stay(20, 21), guest=details)
    service.create_booking(prop.agency_id, prop.id, stay(40, 41), guest=details, status="inquiry")
    from app.guests.models import Guest

    guest = db.session.get(Guest, first.guest_id)
    assert (guest.total_bookings, guest.total_spent) == (2, Decimal("300.00"))
    assert (guest.first_booking_at.date(), guest.last_booking_at.date()) == (day(10), day(20))
    service.update_booking(prop.agency_id, second.id, service.BookingChanges(
        check_in=day(25), check_out=day(27), total_price=Decimal("250")))
    assert (guest.total_spent, guest.last_booking_at.date()) == (Decimal("450.00"), day(25))
    service.cancel_booking(prop.agency_id, first.id)
    assert (guest.total_bookings, guest.total_spent, guest.first_booking_at.date()) == (1, Decimal("250.00"), day(25))
    service.update_booking(prop.agency_id, second.id, service.BookingChanges(guest_id=None))
    assert (guest.total_bookings, guest.total_spent, guest.first_booking_at) == (0, Decimal("0.00"), None)


def test_channel_bookings_skip_direct_booking_rules(inventory, make_property):
    from app.inventory.errors import DuplicateExternalRef
    from app.core.errors import ValidationFailed

    service, db = inventory
    prop = make_property(min_stay_nights=3)
    past = service.create_booking(prop.agency_id, prop.id, stay(-10, -9), source="airbnb", external_ref="HM1")
    assert past.status == "confirmed"
    assert service.find_booking_by_external_ref(prop.agency_id, "airbnb", "HM1").id == past.id
    with pytest.raises(DuplicateExternalRef), db.session.begin_nested():
        service.create_booking(prop.agency_id, prop.id, stay(50, 53), source="airbnb", external_ref="HM1")
    with pytest.raises(ValidationFailed):
        service.create_booking(prop.agency_id, prop.id, stay(-10, -9))


class Deadlocker:
    """Makes the session's transaction the victim of a real deadlock with a second connection."""

    def __init__(self, engine):
        self.engine, self.threads = engine, []

    def other_side(self, holding: threading.Event) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(424242, 2)"))
            holding.set()
            conn.execute(text("SELECT pg_advisory_xact_lock(424242, 1)"))  # waits for the victim
            conn.rollback()

    def __call__(self, session) -> None:
        session.execute(text("SET LOCAL deadlock_timeout = '10ms'"))  # the victim detects it first
        session.execute(text("SELECT pg_advisory_xact_lock(424242, 1)"))
        holding = threading.Event()
        self.threads.append(threading.Thread(target=self.other_side, args=(holding,)))
        self.threads[-1].start()
        assert holding.wait(5)
        waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                       "AND classid = 424242")
        for _ in range(500):
            if session.scalar(waiting):
                break
        session.execute(text("SELECT pg_advisory_xact_lock(424242, 2)"))  # raises 40P01

    def join(self) -> None:
        for thread in self.threads:
            thread.join(5)
            assert not thread.is_alive()


def test_deadlock_is_retried_then_succeeds(inventory, make_property):
    from app.db import commit_with_retry
    from app.inventory.models import Booking

    service, db = inventory
    prop, deadlock, attempts = make_property(), Deadlocker(db.engine), []

    def work():
        attempts.append(1)
        if len(attempts) == 1:
            deadlock(db.session)
        return service.create_booking(prop.agency_id, prop.id, stay(1, 3)).id

    booking_id = commit_with_retry(work)
    deadlock.join()
    assert len(attempts) == 2
    assert db.session.scalar(select(func.count()).select_from(Booking).where(Booking.id == booking_id)) == 1


def test_deadlock_after_three_attempts_is_503(inventory, make_property, caplog):
    import time

    from app.core.errors import DeadlockDetected
    from app.db import commit_with_retry
    from app.inventory.models import Booking

    service, db = inventory
    prop, deadlock, attempts = make_property(), Deadlocker(db.engine), []

    def work():
        attempts.append(1)
        service.create_booking(prop.agency_id, prop.id, stay(1, 3))
        deadlock(db.session)

    started = time.monotonic()
    with pytest.raises(DeadlockDetected) as caught:
        commit_with_retry(work)
    deadlock.join()
    assert len(attempts) == 3 and time.monotonic() - started >= 0.3  # 100 ms + 200 ms backoff
    assert (caught.value.status_code, caught.value.payload()) == (
        503, {"detail": "Database deadlock detected. Please retry your request."})
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    assert "retrying in 100 ms" in caplog.text and "retrying in 200 ms" in caplog.text


def test_a_conflicting_change_leaves_the_booking_and_the_transaction_usable(inventory, make_property):
    from app.guests.models import Guest
    from app.inventory.errors import BookingConflict

    service, db = inventory
    prop = make_property()
    service.create_booking(prop.agency_id, prop.id, stay(10, 12))
    booking = service.create_booking(prop.agency_id, prop.id, stay(1, 3), notes="original")
    with pytest.raises(BookingConflict):
        service.update_booking(prop.agency_id, booking.id, service.BookingChanges(
            check_in=day(9), check_out=day(11), notes="moved", guest=service.GuestDetails("New", "Guest")))
    # creating takes no savepoint of its own (the request rolls back as a whole): a caller going on brings one
    with pytest.raises(BookingConflict), db.session.begin_nested():
        service.create_booking(prop.agency_id, prop.id, stay(11, 12), guest=service.GuestDetails("Other", "Guest"))
    db.session.refresh(booking)
    assert (booking.check_in, booking.notes, booking.guest_id) == (day(1), "original", None)
    assert db.session.scalar(select(func.count()).select_from(Guest)) == 0
    assert active_ranges(db, prop.id) == [("booking", day(1), day(3)), ("booking", day(10), day(12))]
