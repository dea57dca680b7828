"""The dashboard page (the landing page after login)."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.web.auth import protect_pages

bp = protect_pages(Blueprint("dashboard", __name__))


@bp.get("/")
def index():
    return render_template("ops/dashboard.html")
