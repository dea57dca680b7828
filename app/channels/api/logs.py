"""Sync logs (list, one, purge) and sync batches (list, detail) of a connection."""
from __future__ import annotations

from flask import current_app

from app.channels import service
from app.channels.api.base import bp
from app.channels.errors import WrongConfirmPhrase
from app.channels.schemas import (BatchesOut, BatchesQuery, BatchNotFoundOut, BatchOut, ErrorOut, LogOut,
                                      LogsOut, LogsQuery, PurgeIn, PurgeOut, batch_out, log_out)
from app.db import commit_with_retry
from app.web.api import ApiResponse, Detail, spec
from app.web.auth import current_agency_id, current_principal, require_operator, require_role

TAGS = ["sync-logs"]
CONFIRM_PHRASE = "PURGE"


@bp.get("/channel-connections/<uuid:connection_id>/sync-logs")
@spec.validate(query=LogsQuery, resp=ApiResponse(HTTP_200=LogsOut, HTTP_404=Detail), tags=TAGS)
def list_sync_logs(connection_id, query: LogsQuery):
    """A page of the connection's logs, newest first; filters combine (status "active" = in progress)."""
    page = service.list_sync_logs(current_agency_id(), connection_id, limit=query.limit, offset=query.offset,
                                  batch_id=query.batch_id, status=query.status,
                                  operation_type=query.operation_type, direction=query.direction, q=query.q)
    return LogsOut(connection_id=connection_id, logs=[log_out(item) for item in page.logs], limit=page.limit,
                   offset=page.offset, batch_id=query.batch_id, total=page.total)


@bp.get("/channel-connections/<uuid:connection_id>/sync-logs/<uuid:log_id>")
@spec.validate(resp=ApiResponse(HTTP_200=LogOut, HTTP_404=Detail), tags=TAGS)
def get_sync_log(connection_id, log_id):
    """One sync log."""
    return log_out(service.get_sync_log(current_agency_id(), log_id, connection_id))


@bp.post("/channel-connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/cancel")
@require_operator
@spec.validate(resp=ApiResponse(HTTP_200=LogOut, HTTP_404=Detail, HTTP_409=Detail), tags=TAGS)
def cancel_sync_log(connection_id, log_id):
    """Cancel an operation that has not finished: `cancelled` from triggered, queued or running
    (platform operators only, any agency's connection; to others this endpoint does not exist)."""
    return commit_with_retry(lambda: log_out(service.cancel_sync_log(log_id, connection_id,
                                                                     cancelled_by=current_principal().user.email)))


@bp.post("/channel-connections/<uuid:connection_id>/sync-logs/purge")
@require_role("admin")
@spec.validate(json=PurgeIn, resp=ApiResponse(HTTP_200=PurgeOut, HTTP_400=Detail, HTTP_404=Detail), tags=TAGS)
def purge_sync_logs(connection_id, json: PurgeIn):
    """Delete this connection's logs older than retention_days (admin; type PURGE; dry_run previews)."""
    if json.confirm_phrase != CONFIRM_PHRASE:
        raise WrongConfirmPhrase()
    result = commit_with_retry(lambda: service.purge_sync_logs(current_agency_id(), connection_id,
                                                               json.retention_days, json.dry_run))
    counts = {"would_delete": result.count} if result.dry_run else {"deleted_count": result.count}
    body = PurgeOut(connection_id=connection_id, retention_days=json.retention_days, cutoff=result.cutoff, **counts)
    return current_app.response_class(body.model_dump_json(exclude_none=True), mimetype="application/json")


@bp.get("/channel-connections/<uuid:connection_id>/sync-batches")
@spec.validate(query=BatchesQuery, resp=ApiResponse(HTTP_200=BatchesOut, HTTP_400=ErrorOut, HTTP_404=Detail),
               tags=TAGS)
def list_sync_batches(connection_id, query: BatchesQuery):
    """The connection's batches, most recently updated first, filtered by batch status."""
    batches = service.list_sync_batches(current_agency_id(), connection_id, status=query.status,
                                        limit=query.limit, offset=query.offset)
    return BatchesOut(items=[batch_out(b) for b in batches], limit=query.limit, offset=query.offset)


@bp.get("/channel-connections/<uuid:connection_id>/sync-batches/<uuid:batch_id>")
@spec.validate(resp=ApiResponse(HTTP_200=BatchOut, HTTP_404=BatchNotFoundOut), tags=TAGS)
def get_sync_batch(connection_id, batch_id):
    """One batch: status, counts per bucket and its operations."""
    return batch_out(service.get_sync_batch(current_agency_id(), connection_id, batch_id))
