"""Cancel of a sync log by a platform operator: API, Log Details (in-page confirmation) and
`flask cancel-sync-log`; states only move forward."""
from __future__ import annotations

import uuid

from tests.factories import hx

CONNECTIONS = "/api/v1/channel-connections/"


def log_status(client, headers, connection, log_id) -> str:
    logs = client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers).get_json()["logs"]
    return next(item["status"] for item in logs if item["id"] == str(log_id))


def test_operators_cancel_non_final_logs_through_the_api(client, setup, write_logs, make_user, bearer):
    user, headers, _, connection = setup()
    queued, running, succeeded = write_logs(connection, [("availability_update", "queued", None, 0),
                                                         ("pricing_update", "running", None, 0),
                                                         ("bookings_sync", "success", None, 0)])
    operator = bearer(make_user("staff", operator=True))  # of another agency: operators act platform-wide
    url = f"{CONNECTIONS}{connection.id}/sync-logs/{{}}/cancel"
    for log_id in (queued, running):
        response = client.post(url.format(log_id), headers=operator)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["status"] == "cancelled" and body["finished_at"] and body["error"] == "Cancelled by a platform operator"
        assert body["details"]["cancelled_by"].startswith("staff-")
    again = client.post(url.format(queued), headers=operator)
    assert again.status_code == 409 and "this one is cancelled" in again.get_json()["detail"]
    final = client.post(url.format(succeeded), headers=operator)
    assert final.status_code == 409 and log_status(client, headers, connection, succeeded) == "success"
    assert client.post(url.format(uuid.uuid4()), headers=operator).status_code == 404
    for caller in (headers, bearer(make_user("admin", agency=user.agency))):  # the agency's own admins
        assert client.post(url.format(queued), headers=caller).status_code == 404


def test_a_cancelled_log_stays_cancelled_whatever_its_job_does(app, client, setup, make_user, bearer, run_worker):
    from app.channels.service.engine import claim, finish_success
    from app.extensions import db

    _, headers, _, connection = setup()
    trigger = client.post(f"{CONNECTIONS}{connection.id}/sync", headers=headers, json={"sync_type": "availability"})
    assert trigger.status_code == 200
    log_id = client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers).get_json()["logs"][0]["id"]
    operator = bearer(make_user("admin", operator=True))
    assert client.post(f"{CONNECTIONS}{connection.id}/sync-logs/{log_id}/cancel", headers=operator).status_code == 200
    run_worker()  # the queued job finds its log final and does nothing
    assert log_status(client, headers, connection, log_id) == "cancelled"
    with app.app_context():
        assert claim(uuid.UUID(log_id), None) is None
        assert not finish_success(uuid.UUID(log_id), {}, 0, connection.id)
        db.session.commit()
    assert log_status(client, headers, connection, log_id) == "cancelled"


def test_log_details_offer_cancel_with_an_in_page_confirmation(app, setup, write_logs, login, make_user):
    user, _, _, connection = setup()
    [log_id] = write_logs(connection, [("availability_update", "queued", None, 0)])
    details = f"/connections/{connection.id}/sync-logs/{log_id}"
    agency_admin = login(app.test_client(), make_user("admin", agency=user.agency))
    assert f'id="cancel-log-{log_id}"' not in agency_admin.get(details, headers=hx()).get_data(as_text=True)
    assert agency_admin.get(f"{details}/cancel", headers=hx()).status_code == 404
    operator = login(app.test_client(), make_user("admin", agency=user.agency, operator=True))
    assert f'id="cancel-log-{log_id}"' in operator.get(details, headers=hx()).get_data(as_text=True)
    confirm = operator.get(f"{details}/cancel", headers=hx()).get_data(as_text=True)
    assert f'<dialog id="confirm-cancel-{log_id}"' in confirm and "Cancel this operation?" in confirm
    assert f'hx-post="{details}/cancel"' in confirm
    cancelled = operator.post(f"{details}/cancel", headers=hx())
    text = cancelled.get_data(as_text=True)
    assert cancelled.status_code == 200 and cancelled.headers["HX-Retarget"] == f"#log-body-{log_id}"
    assert "cancelled" in text and f'id="cancel-log-{log_id}"' not in text
    assert f'id="confirm-cancel-{log_id}" hx-swap-oob="delete"' in text
    assert "Operation cancelled" in cancelled.headers["HX-Trigger"]
    late = operator.post(f"{details}/cancel", headers=hx())
    assert late.status_code == 409 and "this one is cancelled" in late.headers["HX-Trigger"]


def test_cancel_sync_log_command(app, setup, write_logs, client):
    _, headers, _, connection = setup()
    queued, finished = write_logs(connection, [("availability_update", "triggered", None, 0),
                                               ("pricing_update", "failed", None, 0)])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cancel-sync-log", str(queued)])
    assert result.exit_code == 0 and f"Sync log {queued} (availability_update) is cancelled" in result.output
    assert log_status(client, headers, connection, queued) == "cancelled"
    refused = runner.invoke(args=["cancel-sync-log", str(finished)])
    assert refused.exit_code == 1 and "this one is failed" in refused.output
    assert runner.invoke(args=["cancel-sync-log", "not-a-uuid"]).exit_code == 2
    assert "Sync log not found" in runner.invoke(args=["cancel-sync-log", str(uuid.uuid4())]).output
