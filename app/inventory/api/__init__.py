"""Inventory JSON API (`inventory_api`, /api/v1): properties, bookings, availability, blocks.

Handlers parse and render only; rules live in `app.inventory.service`, and
every write commits through `app.db.commit_with_retry`.
"""
from app.inventory.api import availability, bookings, properties  # noqa: F401  (routes register on the blueprint)
from app.inventory.api.base import bp  # noqa: F401  (mounted by app.modules)
