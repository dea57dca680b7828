"""Inventory JSON API (`inventory_api`, /api/v1): properties, bookings, availability, blocks.

Handlers parse and render only; rules live in `app.inventory.service`, and
every write commits through `commit_with_retry`.
"""
from app.web.api import api_blueprint

bp = api_blueprint("inventory_api", __name__)

PROPERTY_EDITORS = ("admin", "manager")
BOOKING_EDITORS = ("admin", "manager", "staff")
BLOCK_EDITORS = ("admin", "manager")
