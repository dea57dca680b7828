"""JSON API of the channel manager (`channels_api`, prefix /api/v1; spec 20 "Channel manager").

`legacy_bp` serves the property-level trigger also at `/api/availability/sync`.
Handlers parse input, call `app.channels.service`, commit once and render.
"""
from app.channels.api import conflicts, connections, logs, sync  # noqa: F401  (routes register on the blueprint)
from app.channels.api.base import bp, legacy_bp  # noqa: F401  (mounted by app.modules)
