"""Pricing pages (blueprint `pricing`): rates per property, extra services, visitor tax."""
from __future__ import annotations

from flask import Blueprint

from app.web.auth import protect_pages

bp = protect_pages(Blueprint("pricing", __name__))
