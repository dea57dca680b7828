"""JSON API of the channel manager (`channels_api`, prefix /api/v1; spec 20 "Channel manager").

`legacy_bp` serves the property-level trigger also at `/api/availability/sync`.
Handlers parse input, call `app.channels.service`, commit once and render.
"""
from app.web.api import api_blueprint

bp = api_blueprint("channels_api", __name__)
legacy_bp = api_blueprint("channels_legacy_api", __name__, url_prefix="/api")
