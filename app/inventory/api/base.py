"""The `inventory_api` blueprint and what its route modules share (the package's `__init__` describes them)."""
from app.web.api import api_blueprint

bp = api_blueprint("inventory_api", __name__)

PROPERTY_EDITORS = ("admin", "manager")
BOOKING_EDITORS = ("admin", "manager", "staff")
BLOCK_EDITORS = ("admin", "manager")
