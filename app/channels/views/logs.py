"""Sync Logs panel, Log Details (with its status poller, Retry now and, for platform operators,
Cancel) and the Purge logs dialog."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from app.channels import service
from app.channels.errors import NotCancellable
from app.channels.views.base import NO_STORE, SWAP_ERROR, bp, poll_response
from app.channels.schemas import PurgeIn
from app.channels.views.forms import form_errors, start_failure
from app.channels.views.panels import detail_context, logs_panel
from app.channels.views.presenters import is_active
from app.core.errors import DomainError
from app.db import commit_with_retry
from app.web.auth import current_agency_id, current_principal, is_operator, require_operator, require_role
from app.web.forms import form_error, validated
from app.web.htmx import hx_response, is_htmx, render_page_or_partial, toast

PURGE_CHOICES = (7, 30, 90)
CONFIRM_PHRASE = "PURGE"


@bp.get("/connections/<uuid:connection_id>/sync-logs")
def sync_log_list(connection_id):
    """The batch cards of the Sync Logs panel; polled by itself while something is active."""
    if not is_htmx():
        return render_template("channels/connection_detail.html", **detail_context(connection_id, request.args))
    panel = logs_panel(connection_id, request.args)
    polling = panel["interval"] is not None
    body, status, headers = poll_response("channels/connection_detail.html", "channels/partials/_sync_log_list.html",
                                          polling, logs=panel)
    if request.args.get("live") and not polling:
        headers = {**headers, "HX-Trigger": "sync-finished"}
    return body, status, headers


def log_context(connection_id, log_id) -> dict:
    sync_log = service.get_sync_log(current_agency_id(), log_id, connection_id)
    return {"log": sync_log, "connection_id": connection_id, "can_cancel": is_operator(),
            "interval": current_app.config["CHANNELS_LOGS_ACTIVE_POLL_SECONDS"]}


@bp.get("/connections/<uuid:connection_id>/sync-logs/<uuid:log_id>")
def sync_log_detail(connection_id, log_id):
    return render_page_or_partial("channels/sync_log_detail.html", "channels/partials/_sync_log_dialog.html",
                                  **log_context(connection_id, log_id))


@bp.get("/connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/status")
def sync_log_status(connection_id, log_id):
    """Body of Log Details; polls itself while the log is triggered, queued or running."""
    context = log_context(connection_id, log_id)
    return poll_response("channels/sync_log_detail.html", "channels/partials/_sync_log_body.html",
                         is_active(context["log"].status), **context)


@bp.post("/connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/retry")
def retry_sync_log(connection_id, log_id):
    """Retry now: a new one-operation batch; the failed log stays as it was."""
    return retried(connection_id, log_id)


def retried(connection_id, log_id, close_dialog: str | None = None, **options):
    """Start the retry of a log and answer with its result (or why it could not start) in place."""
    try:
        result = commit_with_retry(lambda: service.retry_sync_log(current_agency_id(), connection_id, log_id,
                                                                  **options))
    except DomainError as exc:
        body = render_template("channels/partials/_retry_result.html", log_id=log_id, error=start_failure(exc),
                               close_dialog=close_dialog)
        return body, exc.status_code, SWAP_ERROR
    if not is_htmx():
        return redirect(url_for("channels.connection_detail", connection_id=connection_id), 303)
    body = render_template("channels/partials/_retry_result.html", log_id=log_id, result=result,
                           connection_id=connection_id, close_dialog=close_dialog)
    return hx_response(body, trigger={"sync-started": {"batch_id": str(result.batch_id)}})


@bp.get("/connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/import-anyway")
def import_anyway_confirm(connection_id, log_id):
    """Confirm importing an iCal feed that shrank suspiciously (a failed bookings sync)."""
    return render_page_or_partial("channels/import_anyway.html", "channels/partials/_import_anyway_dialog.html",
                                  **log_context(connection_id, log_id))


@bp.post("/connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/import-anyway")
def import_anyway(connection_id, log_id):
    """Import anyway: re-run the bookings sync accepting the shrunken feed; holds missing from it are released."""
    return retried(connection_id, log_id, close_dialog=f"import-anyway-dialog-{log_id}", confirm_feed_shrink=True)


@bp.get("/connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/cancel")
@require_operator
def cancel_confirm(connection_id, log_id):
    """The in-page confirmation of Cancel, stacked over Log Details."""
    return render_template("channels/partials/_confirm_log_cancel.html", **log_context(connection_id, log_id))


@bp.post("/connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/cancel")
@require_operator
def cancel_sync_log(connection_id, log_id):
    """Cancel (platform operators): Log Details shows the new state, the confirmation closes."""
    service.get_sync_log(current_agency_id(), log_id, connection_id)  # pages: the agency's own logs only
    try:
        commit_with_retry(lambda: service.cancel_sync_log(log_id, connection_id,
                                                          cancelled_by=current_principal().user.email))
        message, level, status = "Operation cancelled", "success", 200
    except NotCancellable as exc:
        message, level, status = exc.detail, "error", 409
    if not is_htmx():
        return redirect(url_for("channels.sync_log_detail", connection_id=connection_id, log_id=log_id), 303)
    body = render_template("channels/partials/_log_cancel_result.html", **log_context(connection_id, log_id))
    return hx_response(body, trigger=toast(message, level), status=status,
                       headers={"HX-Retarget": f"#log-body-{log_id}", "HX-Reswap": "outerHTML"})


def purge_days(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= 3650 else None


def purge_checks(values) -> list[dict]:
    """Purge logs reports both problems at once, in the dialog's words."""
    errors = []
    if purge_days(values.get("retention_days")) is None:
        errors.append(form_error("retention_days", "Choose a retention period"))
    if values.get("confirm_phrase") != CONFIRM_PHRASE:
        errors.append(form_error("confirm_phrase", "Type PURGE (capital letters) to confirm"))
    return errors


@bp.get("/connections/<uuid:connection_id>/sync-logs/purge")
@require_role("admin")
def purge_confirm(connection_id):
    view = service.get_connection(current_agency_id(), connection_id)
    return render_page_or_partial("channels/purge.html", "channels/partials/_purge_dialog.html", view=view,
                                  choices=PURGE_CHOICES, days=30, errors={})


@bp.get("/connections/<uuid:connection_id>/sync-logs/purge/preview")
@require_role("admin")
def purge_preview(connection_id):
    """Live preview of the purge dialog: a dry run, nothing deleted. Ownership first, then the input."""
    agency_id = current_agency_id()
    service.owned_connection(agency_id, connection_id)
    days = purge_days(request.args.get("retention_days"))
    preview = service.purge_sync_logs(agency_id, connection_id, days, dry_run=True) if days else None
    return render_template("channels/partials/_purge_preview.html", preview=preview), 200, NO_STORE


@bp.post("/connections/<uuid:connection_id>/sync-logs/purge")
@require_role("admin")
def purge_sync_logs(connection_id):
    agency_id = current_agency_id()
    try:
        data = validated(PurgeIn, request.form, purge_checks)
        result = commit_with_retry(lambda: service.purge_sync_logs(agency_id, connection_id, data.retention_days))
    except DomainError as exc:
        return render_template("channels/partials/_purge_form.html", view=service.get_connection(
            agency_id, connection_id), choices=PURGE_CHOICES, days=purge_days(request.form.get("retention_days")) or 30,
            errors=form_errors(exc)), 422
    if not is_htmx():
        return redirect(url_for("channels.connection_detail", connection_id=connection_id), 303)
    body = render_template("channels/partials/_purge_result.html", result=result)
    return hx_response(body, trigger={"logs-purged": {"count": result.count}},
                       headers={"HX-Retarget": "#purge-dialog", "HX-Reswap": "delete"})
