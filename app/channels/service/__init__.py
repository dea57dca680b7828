"""Channel manager services: the only code that writes connections and sync logs.

Functions take the agency id first, flush but never commit (the view, API
handler, job or CLI command owns the commit) and raise domain errors from
`app.channels.errors`. Inventory is only read here (availability pushes) or
changed through the inventory service (channel holds on import).

    connections  list/detail with freshness, create, update, soft delete, test
    sync         triggers: connection sync, property sync, retry of a failed log
    logs         log listing/search, transitions, stale sweep, purge, retention
    batches      batch list/detail aggregation (one SQL query each)
    detect       syncs chosen by platform and property: auto-detect, which trigger fits
    reads        small reads of the back office panels (choices, activity, batch cards)
    ical         export feed, token rotation, feed import
    engine       the worker's side of one sync operation
"""
from app.channels.service.batches import BatchSummary, get_sync_batch, list_sync_batches
from app.channels.service.connections import (ConnectionView, DeletionImpact, connection_page, create_connection,
                                              delete_connection, deletion_impact, get_connection, ical_import_url,
                                              list_connections, owned_connection, owned_property,
                                              stale_connection_summary, stale_connections, test_connection,
                                              update_connection)
from app.channels.service.detect import detect_connections, trigger_chosen_sync
from app.channels.service.ical import export_calendar, ical_url
from app.channels.service.logs import (LogPage, PurgeResult, cancel_sync_log, get_sync_log, list_sync_logs,
                                       purge_sync_logs, sweep_stale_sync_logs)
from app.channels.service.reads import batch_summaries, find_connections, has_active_logs, property_choices
from app.channels.service.sync import (SYNC_TYPES, TRIGGER_ROLES, TriggerResult, retry_sync_log,
                                       trigger_property_sync, trigger_sync)

__all__ = [
    "BatchSummary", "ConnectionView", "DeletionImpact", "LogPage", "PurgeResult", "SYNC_TYPES", "TRIGGER_ROLES",
    "TriggerResult", "cancel_sync_log", "connection_page", "create_connection", "delete_connection", "deletion_impact", "export_calendar",
    "get_connection", "get_sync_batch", "get_sync_log", "ical_import_url", "ical_url", "list_connections",
    "list_sync_batches", "list_sync_logs", "owned_connection", "owned_property", "purge_sync_logs",
    "retry_sync_log", "stale_connection_summary", "stale_connections", "sweep_stale_sync_logs", "test_connection",
    "trigger_property_sync", "trigger_sync", "update_connection",
    "batch_summaries", "detect_connections", "find_connections", "has_active_logs", "property_choices",
    "trigger_chosen_sync",
]
