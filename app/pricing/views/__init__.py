"""Pricing pages (blueprint `pricing`): rates per property (seasons), extra services, visitor tax,
and the live quote of the booking form.

Views parse input and render; every rule lives in `app.pricing.service` and the engine. Reads are
open to every role, writes to admins and managers (the API's rule).
"""
from app.pricing.views import extras, quotes, rates, tax_rules  # noqa: F401  (routes register on the blueprint)
from app.pricing.views.base import bp  # noqa: F401  (mounted by app.modules)
