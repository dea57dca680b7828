"""The `pricing` page blueprint and what its route modules share (the package's `__init__` describes them)."""
from __future__ import annotations

from flask import Blueprint

from app.pricing.api import PRICING_EDITORS
from app.web.auth import has_role, protect_pages

bp = protect_pages(Blueprint("pricing", __name__, url_prefix="/pricing"))
# HX-Trigger event after a season changed: the rates grid and the season list refresh themselves.
RATES_CHANGED = "rates-changed"


def can_edit_pricing() -> bool:
    return has_role(*PRICING_EDITORS)
