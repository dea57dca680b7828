"""Sync triggers: per connection, per property (`/availability/sync`) and retry of a failed log."""
from __future__ import annotations

from app.channels import service
from app.channels.api import bp, legacy_bp
from app.channels.api.schemas import ErrorOut, PropertySyncIn, PropertySyncOut, SyncIn, SyncOut
from app.extensions import db
from app.web.api import ApiResponse, Detail, spec
from app.web.auth import current_agency_id, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

TAGS = ["channel-sync"]
TRIGGER_RESPONSES = dict(HTTP_200=SyncOut, HTTP_404=Detail, HTTP_409=Detail, HTTP_503=ErrorOut)


def sync_out(result: service.TriggerResult, message: str) -> SyncOut:
    return SyncOut(message=message, task_ids=result.task_ids, batch_id=result.batch_id)


@bp.post("/channel-connections/<uuid:connection_id>/sync")
@idempotent
@spec.validate(json=SyncIn, headers=IdempotencyHeaders, resp=ApiResponse(**TRIGGER_RESPONSES), tags=TAGS)
def trigger_sync(connection_id, json: SyncIn):
    """Start a sync: one batch; `full` runs availability, pricing and bookings as three jobs."""
    extra = {"confirm_feed_shrink": True} if json.confirm_feed_shrink else None
    result = service.trigger_sync(current_agency_id(), connection_id, json.sync_type, json.start_date,
                                  json.end_date, extra=extra)
    db.session.commit()
    return sync_out(result, f"Manual {json.sync_type} sync triggered successfully")


@bp.post("/channel-connections/<uuid:connection_id>/sync-logs/<uuid:log_id>/retry")
@idempotent
@spec.validate(headers=IdempotencyHeaders, resp=ApiResponse(**TRIGGER_RESPONSES), tags=TAGS)
def retry_sync_log(connection_id, log_id):
    """Re-run a failed operation as a new batch; the new log's details.retry_of names the failed one."""
    result = service.retry_sync_log(current_agency_id(), connection_id, log_id)
    db.session.commit()
    return sync_out(result, f"Retry of {result.logs[0].operation_type} triggered successfully")


@bp.post("/availability/sync")
@legacy_bp.post("/availability/sync")
@require_role("admin", "manager")
@idempotent
@spec.validate(json=PropertySyncIn, headers=IdempotencyHeaders, resp=ApiResponse(HTTP_200=PropertySyncOut, HTTP_400=Detail, HTTP_404=Detail,
                                                     HTTP_409=Detail, HTTP_503=ErrorOut), tags=TAGS)
def trigger_property_sync(json: PropertySyncIn):
    """Sync one property to one platform (availability or pricing) through its active connection."""
    result = service.trigger_property_sync(
        current_agency_id(), json.property_id, json.platform, json.sync_type, connection_id=json.connection_id,
        start=json.start_date, end=json.end_date, manual=json.manual_trigger)
    db.session.commit()
    sync_log = result.logs[0]
    return PropertySyncOut(message=f"{json.sync_type.capitalize()} sync task triggered successfully",
                           task_id=sync_log.task_id, sync_log_id=sync_log.id, batch_id=result.batch_id,
                           platform=json.platform)
