"""Overbooking conflicts in the back office: dashboard panel, badges, the list and the resolve actions."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.factories import day, hx


@pytest.fixture
def make_conflict(app):
    """An open conflict of a connection's event with `collided` (a booking or block row, or None)."""
    from app.channels.models import ChannelConflict
    from tests.factories import committed

    def make(connection, start, end, collided=None, kind: str = "booking", uid: str = "HMX42-evt"):
        return committed(app, lambda: _add(ChannelConflict(
            agency_id=connection.agency_id, connection_id=connection.id, property_id=connection.property_id,
            external_uid=uid, start_date=start, end_date=end, summary="Airbnb (HMX42)",
            reason="Property is already booked for these dates",
            collided_kind=kind if collided is not None else None,
            collided_source_id=collided.id if collided is not None else None)))
    return make


def _add(row):
    from app.extensions import db

    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def lane(logged_in, make_property, make_connection, make_booking, make_conflict):
    """A manager's client, a property with a direct booking and an open conflict of an Airbnb event with it."""
    from app.inventory import service

    def build(role: str = "manager"):
        client = logged_in(role)
        prop = make_property(client.user.agency, name="Haus Seeblick")
        connection = make_connection(client.user.agency, prop, "airbnb")
        booking = make_booking(prop, day(10), day(14), guest=service.GuestDetails("Anna", "Schmidt"))
        conflict = make_conflict(connection, day(12), day(15), booking)
        client.prop, client.connection, client.booking, client.conflict = prop, connection, booking, conflict
        return client
    return build


def conflict_state(app, conflict_id):
    from app.channels.models import ChannelConflict
    from app.extensions import db

    with app.app_context():
        row = db.session.get(ChannelConflict, conflict_id)
        return row.status, row.resolved_by, row.resolved_at, row.resolution_note


def test_dashboard_panel_and_badges_show_open_conflicts(lane):
    client = lane()
    dashboard = client.get("/").get_data(as_text=True)
    assert 'id="dashboard-conflicts"' in dashboard and "1 open" in dashboard
    assert f'id="dashboard-conflict-{client.conflict.id}"' in dashboard
    assert "Booking: Anna Schmidt" in dashboard and "Review and resolve conflicts" in dashboard

    cid = client.connection.id
    table = client.get("/connections").get_data(as_text=True)
    assert f'id="connection-conflicts-{cid}"' in table and "1 conflict<" in table
    detail = client.get(f"/connections/{cid}").get_data(as_text=True)
    assert f'href="/conflicts?connection_id={cid}"' in detail
    assert f'id="sync-logs-conflicts-{cid}"' in detail  # the logs panel's badge, refreshed when a sync ends
    assert 'hx-trigger="sync-finished from:body"' in detail.split(f'id="sync-logs-conflicts-{cid}"')[1][:400]


def test_list_shows_property_dates_channel_external_id_and_collision(lane):
    client = lane()
    body = client.get("/conflicts").get_data(as_text=True)
    row = body.split(f'id="conflict-{client.conflict.id}"')[1].split("</tr>")[0]
    assert "Haus Seeblick" in row and f"{day(12)} → {day(15)}" in row and "Airbnb" in row
    assert "HMX42-evt" in row and f'href="/bookings/{client.booking.id}"' in row
    for action in ("accept", "resolved_on_channel", "ignore"):
        assert f'id="conflict-{client.conflict.id}-{action}"' in row
    fragment = client.get("/conflicts?status=resolved", headers=hx()).get_data(as_text=True)
    assert fragment.strip().startswith('<div id="conflict-table"') and "No conflicts to show." in fragment
    unknown = client.get("/conflicts?status=bogus")  # an unknown filter shows the open ones
    assert unknown.status_code == 200 and f'id="conflict-{client.conflict.id}"' in unknown.get_data(as_text=True)


def test_accept_cancels_the_local_booking_and_holds_the_channel_stay(app, lane):
    from app.extensions import db
    from app.inventory.models import Booking, InventoryRange

    client = lane()
    conflict_id = client.conflict.id
    dialog = client.get(f"/conflicts/{conflict_id}/resolve/accept", headers=hx()).get_data(as_text=True)
    assert "<dialog" in dialog and "Cancel local booking and accept" in dialog and "Booking: Anna Schmidt" in dialog
    done = client.post(f"/conflicts/{conflict_id}/resolve/accept", headers=hx())
    assert done.status_code == 200 and done.headers["HX-Retarget"] == "#modal"
    events = json.loads(done.headers["HX-Trigger"])
    assert events["conflicts-changed"] is True and "accepted" in events["toast"]["message"]
    assert 'hx-swap-oob="outerHTML"' in done.get_data(as_text=True)
    status, resolved_by, resolved_at, _ = conflict_state(app, conflict_id)
    assert status == "accepted" and resolved_by == client.user.id and resolved_at is not None
    with app.app_context():
        booking = db.session.get(Booking, client.booking.id)
        assert booking.status == "cancelled" and booking.cancelled_by == client.user.id
        assert "HMX42-evt" in booking.cancellation_reason
        hold = db.session.scalars(db.select(InventoryRange).where(
            InventoryRange.kind == "channel_hold", InventoryRange.state == "active")).one()
        assert (hold.external_uid, hold.start_date, hold.end_date) == ("HMX42-evt", day(12), day(15))
    again = client.post(f"/conflicts/{conflict_id}/resolve/ignore", data={"note": "late"}, headers=hx())
    assert again.status_code == 409 and "already resolved" in again.get_data(as_text=True)


def test_accept_is_all_or_nothing_when_something_else_holds_the_dates(app, lane):
    from app.extensions import db
    from app.inventory import service
    from app.inventory.models import Booking

    client = lane()
    with app.app_context():  # a block on the channel's last night stays after the booking is cancelled
        service.create_block(client.prop.agency_id, client.prop.id, service.Stay(day(14), day(15)), "Repairs")
        db.session.commit()
    refused = client.post(f"/conflicts/{client.conflict.id}/resolve/accept", headers=hx())
    assert refused.status_code == 409 and "conflict-resolve-error" in refused.get_data(as_text=True)
    assert conflict_state(app, client.conflict.id)[0] == "open"
    with app.app_context():
        assert db.session.get(Booking, client.booking.id).status == "confirmed"


def test_resolved_on_channel_and_ignore_record_who_when_and_note(app, lane, make_conflict):
    client = lane()
    on_channel = client.post(f"/conflicts/{client.conflict.id}/resolve/resolved_on_channel",
                             data={"note": "Cancelled on Airbnb"}, headers=hx())
    assert on_channel.status_code == 200
    assert conflict_state(app, client.conflict.id)[0::3] == ("resolved_on_channel", "Cancelled on Airbnb")

    second = make_conflict(client.connection, day(30), day(32), uid="other-evt")
    missing = client.post(f"/conflicts/{second.id}/resolve/ignore", data={"note": "  "}, headers=hx())
    assert missing.status_code == 422 and 'id="note-error"' in missing.get_data(as_text=True)
    too_long = client.post(f"/conflicts/{second.id}/resolve/ignore", data={"note": "x" * 501}, headers=hx())
    assert too_long.status_code == 422 and conflict_state(app, second.id)[0] == "open"
    ignored = client.post(f"/conflicts/{second.id}/resolve/ignore", data={"note": "Owner stays anyway"})
    assert ignored.status_code == 303  # without JavaScript: back to the list
    status, resolved_by, _, note = conflict_state(app, second.id)
    assert (status, resolved_by, note) == ("ignored", client.user.id, "Owner stays anyway")
    resolved = client.get("/conflicts?status=resolved").get_data(as_text=True)
    assert "Owner stays anyway" in resolved and client.user.email in resolved and "Resolved on channel" in resolved
    # accept is only offered for a collision with a local booking
    assert client.post(f"/conflicts/{second.id}/resolve/accept", headers=hx()).status_code == 409


def test_conflicts_are_agency_scoped_and_for_admins_and_managers(app, lane, logged_in):
    client = lane()
    stranger = logged_in("admin")
    assert stranger.get(f"/conflicts/{client.conflict.id}/resolve/ignore").status_code == 404
    assert stranger.post(f"/conflicts/{client.conflict.id}/resolve/ignore", data={"note": "x"}).status_code == 404
    assert f"conflict-{client.conflict.id}" not in stranger.get("/conflicts").get_data(as_text=True)
    staff = logged_in("staff", agency=client.user.agency)
    assert staff.get("/conflicts").status_code == 403
    assert staff.post(f"/conflicts/{client.conflict.id}/resolve/ignore", data={"note": "x"}).status_code == 403
    assert 'id="dashboard-conflicts"' not in staff.get("/").get_data(as_text=True)
    assert client.get(f"/conflicts/{client.conflict.id}/resolve/bogus").status_code == 404
    assert conflict_state(app, client.conflict.id)[0] == "open"


def test_json_api_lists_and_resolves_conflicts(app, lane, bearer, client, make_user):
    owner = lane("admin")
    headers = bearer(owner.user)
    listed = client.get("/api/v1/channel-conflicts/", headers=headers)
    assert listed.status_code == 200
    [item] = listed.get_json()["items"]
    assert (item["id"], item["status"], item["property_name"]) == (str(owner.conflict.id), "open", "Haus Seeblick")
    assert item["collided_with"].startswith("Booking: Anna Schmidt")
    assert item["collided_booking_id"] == str(owner.booking.id)
    assert listed.get_json()["total"] == 1
    assert client.get("/api/v1/channel-conflicts/?status=resolved", headers=headers).get_json()["items"] == []
    assert client.get("/api/v1/channel-conflicts/?status=maybe", headers=headers).status_code == 422

    url = f"/api/v1/channel-conflicts/{owner.conflict.id}/resolve"
    missing_note = client.post(url, headers=headers, json={"resolution": "ignore"})
    assert missing_note.status_code == 422 and missing_note.get_json()["detail"][0]["loc"] == ["body", "note"]
    assert client.post(url, headers=headers, json={"resolution": "shrug"}).status_code == 422
    staff = make_user("staff", agency=owner.user.agency)
    assert client.post(url, headers=bearer(staff), json={"resolution": "accept"}).status_code == 403
    stranger = make_user("admin")
    assert client.post(url, headers=bearer(stranger), json={"resolution": "accept"}).status_code == 404

    accepted = client.post(url, headers=headers, json={"resolution": "accept", "note": "Airbnb pays more"})
    body = accepted.get_json()
    assert accepted.status_code == 200 and body["status"] == "accepted" and body["resolved_by"] == owner.user.email
    assert body["resolution_note"] == "Airbnb pays more" and body["resolved_at"]
    again = client.post(url, headers=headers, json={"resolution": "ignore", "note": "x"})
    assert (again.status_code, again.get_json()) == (409, {"detail": "This conflict is already resolved"})
