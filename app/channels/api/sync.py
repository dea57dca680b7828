"""Sync triggers: per connection, per property (`/availability/sync`) and retry of a failed log.

Admins and managers trigger, everyone reads (the same rule as the pages); each connection's
triggers are rate limited (CHANNELS_TRIGGER_RATE_LIMIT), and a trigger while the same sync
still waits returns that batch with `"coalesced": true`.
"""
from __future__ import annotations

from flask import current_app, request

from app.channels import service
from app.channels.api.base import bp, legacy_bp
from app.channels.schemas import ErrorOut, PropertySyncIn, PropertySyncOut, SyncIn, SyncOut
from app.db import commit_with_retry
from app.extensions import limiter
from app.web.api import ApiResponse, Detail, spec
from app.web.auth import current_agency_id, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

TAGS = ["channel-sync"]
TRIGGER_RESPONSES = dict(HTTP_200=SyncOut, HTTP_404=Detail, HTTP_409=Detail, HTTP_503=ErrorOut)


def trigger_key() -> str:
    """Rate-limit key: the connection in the URL, else the property and platform of the body."""
    connection_id = (request.view_args or {}).get("connection_id")
    if connection_id is not None:
        return f"sync-trigger:{connection_id}"
    body = request.get_json(silent=True) if request.is_json else None
    body = body if isinstance(body, dict) else {}
    return f"sync-trigger:{str(body.get('property_id'))[:64]}:{str(body.get('platform'))[:64]}"


trigger_rate_limit = limiter.limit(lambda: current_app.config["CHANNELS_TRIGGER_RATE_LIMIT"], key_func=trigger_key)


def sync_out(result: service.TriggerResult, message: str) -> SyncOut:
    return SyncOut(message=message, task_ids=result.task_ids, batch_id=result.batch_id, coalesced=result.coalesced)


def trigger_message(result: service.TriggerResult, message: str) -> str:
    return "The same sync is still waiting to run: its batch is returned" if result.coalesced else message


@bp.post("/channel-connections/<uuid:connection_id>/sync")
@require_role(*service.TRIGGER_ROLES)
@trigger_rate_limit
@idempotent
@spec.validate(json=SyncIn, headers=IdempotencyHeaders, resp=ApiResponse(**TRIGGER_RESPONSES), tags=TAGS)
def trigger_sync(connection_id, json: SyncIn):
    """Start a sync: one batch; `full` runs availability, pricing and bookings as three jobs."""
    extra = {"confirm_feed_shrink": True} if json.confirm_feed_shrink else None
    result = commit_with_retry(lambda: service.trigger_sync(current_agency_id(), connection_id, json.sync_type,
                                                            json.start_date, json.end_date, extra=extra))
    return sync_out(result, trigger_message(result, f"Manual {json.sync_type} sync triggered successfully"))


@bp.post("/channel-connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/retry")
@require_role(*service.TRIGGER_ROLES)
@trigger_rate_limit
@idempotent
@spec.validate(headers=IdempotencyHeaders, resp=ApiResponse(**TRIGGER_RESPONSES), tags=TAGS)
def retry_sync_log(connection_id, log_id):
    """Re-run a failed operation as a new batch; the new log's details.retry_of names the failed one."""
    result = commit_with_retry(lambda: service.retry_sync_log(current_agency_id(), connection_id, log_id))
    return sync_out(result, trigger_message(result,
                                            f"Retry of {result.logs[0].operation_type} triggered successfully"))


@bp.post("/availability/sync")
@legacy_bp.post("/availability/sync")
@require_role(*service.TRIGGER_ROLES)
@trigger_rate_limit
@idempotent
@spec.validate(json=PropertySyncIn, headers=IdempotencyHeaders, resp=ApiResponse(HTTP_200=PropertySyncOut, HTTP_400=Detail, HTTP_404=Detail,
                                                     HTTP_409=Detail, HTTP_503=ErrorOut), tags=TAGS)
def trigger_property_sync(json: PropertySyncIn):
    """Sync one property to one platform (availability or pricing) through its active connection."""
    result = commit_with_retry(lambda: service.trigger_property_sync(
        current_agency_id(), json.property_id, json.platform, json.sync_type, connection_id=json.connection_id,
        start=json.start_date, end=json.end_date, manual=json.manual_trigger))
    sync_log = result.logs[0]
    message = f"{json.sync_type.capitalize()} sync task triggered successfully"
    return PropertySyncOut(message=trigger_message(result, message),
                           task_id=sync_log.task_id, sync_log_id=sync_log.id, batch_id=result.batch_id,
                           platform=json.platform, coalesced=result.coalesced)
