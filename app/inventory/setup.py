"""Inventory's part of app setup: it lends the guests module their booking timeline."""
from __future__ import annotations

from flask import Flask

from app.guests.service import register_timeline
from app.inventory.service.overview import guest_bookings


def setup_inventory(app: Flask) -> None:
    register_timeline(app, guest_bookings)
