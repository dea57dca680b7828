"""The `channels_api` and `channels_legacy_api` blueprints and what the route modules share."""
from app.web.api import api_blueprint

bp = api_blueprint("channels_api", __name__)
legacy_bp = api_blueprint("channels_legacy_api", __name__, url_prefix="/api")
