"""The booking form's live quote: re-rendered by htmx whenever dates, guests, ages or extras change."""
from __future__ import annotations

from flask import render_template, request

from app.pricing.forms import quote_context
from app.pricing.views.base import bp


@bp.post("/quote-preview")
def booking_quote():
    context = quote_context(request.form)
    return render_template("pricing/partials/_booking_quote.html", **context)
