"""Back office pages of the channel manager (blueprint `channels`; admin and manager).

    connections   Connections table, New Connection, connection detail, mapping, test, trigger
    connection_edit  Edit connection, Delete connection (admin)
    logs          Sync Logs panel, Log Details, retry, Purge logs
    batches       Sync History panel, Batch Details
    channel_sync  the Channel Sync page
    conflicts     overbooking conflicts: list and resolve actions

Views validate forms with the API's pydantic models (`app.web.forms.validated`), call
`app.channels.service`, commit through `app.db.commit_with_retry` and render a page
or, for htmx requests, the partial of the same context.
Pollers stop by themselves: terminal renders carry no interval and answer 286.
"""
from app.channels.views import batches, channel_sync, conflicts, connection_edit, connections, logs  # noqa: F401  (routes register on the blueprint)
from app.channels.views.base import bp  # noqa: F401  (mounted by app.modules)
