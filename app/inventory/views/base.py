"""The `inventory` page blueprint and what its route modules share (the package's `__init__` describes them)."""
from __future__ import annotations

from flask import Blueprint

from app.inventory.service.overview import platform_label, source_label
from app.web.auth import protect_pages
from app.web.htmx import hx_response

bp = protect_pages(Blueprint("inventory", __name__))
LIST_PAGE_SIZE = 25
bp.add_app_template_filter(platform_label)
bp.add_app_template_filter(source_label)
# HX-Trigger event after bookings or blocks changed dates: the calendar grid and a property's blocks refresh.
AVAILABILITY_CHANGED = "availability-changed"


def close_modal(*fragments: str, trigger: dict | None = None):
    """Empty #modal, whichever element in the dialog posted, and update the page through out-of-band fragments."""
    return hx_response("".join(fragments), trigger=trigger, headers={"HX-Retarget": "#modal", "HX-Reswap": "innerHTML"})
