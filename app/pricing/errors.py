"""Pricing's domain errors."""
from __future__ import annotations

from app.core.errors import Conflict


class SeasonOverlap(Conflict):
    """409: another season of the property already covers some of these nights (`rate_seasons_no_overlap`)."""

    def __init__(self):
        super().__init__("Another season of this property already covers some of these nights",
                         error="season_overlap")
