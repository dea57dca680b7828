"""Inventory pages (blueprint `inventory`): properties, bookings and the calendar.

Views parse input and render; every rule lives in `app.inventory.service`, and
every write commits once through `app.db.commit_with_retry`. Each URL renders the full
page or, for htmx, the page's partial (`render_page_or_partial`).
"""
from app.inventory.views import bookings, calendar, properties  # noqa: F401  (routes register on the blueprint)
from app.inventory.views.base import bp  # noqa: F401  (mounted by app.modules)
