"""A sync chosen by platform and property (the Channel Sync page): auto-detect and the trigger that fits."""
from __future__ import annotations

import pytest


@pytest.fixture
def airbnb(make_agency, make_property, make_connection):
    """(agency, property, its Airbnb connection)."""
    agency = make_agency()
    prop = make_property(agency, name="Haus Seeblick")
    return agency, prop, make_connection(agency, prop, "airbnb")


def test_auto_detect_names_what_is_missing_and_finds_the_connection(app, make_agency, airbnb):
    from app.channels import service
    from app.core.errors import ValidationFailed

    agency, prop, connection = airbnb
    with app.app_context():
        assert [match.id for match in service.detect_connections(agency.id, "airbnb", prop.id)] == [connection.id]
        for platform, property_id, chosen, message in (
                ("", prop.id, None, "Select Platform and Property first, then Auto-detect"),
                ("airbnb", None, None, "Select Platform and Property first, then Auto-detect"),
                ("booking_com", prop.id, None, "No Booking.com connection found for this property"),
                ("airbnb", prop.id, prop.id, "No Airbnb connection found for this property")):
            with pytest.raises(ValidationFailed) as refused:
                service.detect_connections(agency.id, platform, property_id, chosen)
            assert refused.value.detail == [{"loc": ["body", "connection_id"], "msg": message, "type": "value_error"}]
        with pytest.raises(ValidationFailed):  # another agency finds none of this agency's connections
            service.detect_connections(make_agency().id, "airbnb", prop.id)


def test_a_chosen_sync_goes_through_the_property_or_the_connection_trigger(app, airbnb):
    from app.channels import service
    from app.extensions import db

    agency, prop, connection = airbnb
    with app.app_context():
        pricing = service.trigger_chosen_sync(agency.id, "pricing", "airbnb", prop.id)
        full = service.trigger_chosen_sync(agency.id, "full", "airbnb", prop.id)
        assert pricing.connection.id == full.connection.id == connection.id
        assert [log.operation_type for log in pricing.logs] == ["pricing_update"]
        assert [log.operation_type for log in full.logs] == ["availability_update", "pricing_update", "bookings_sync"]
        assert pricing.batch_id != full.batch_id
        db.session.rollback()
