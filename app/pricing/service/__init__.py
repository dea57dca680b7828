"""Pricing service: the only code that writes seasons, extra services, assignments, visitor-tax
rules and booking price lines, and the loader that feeds the pure engine.

Functions take the agency id first, flush but never commit, and raise DomainErrors
(404 NotFound, 422 ValidationFailed, 409 SeasonOverlap). Callers own the commit.
"""
from app.pricing.service.extras import (
    assigned_extras, create_extra_service, delete_extra_service, get_extra_service, list_extra_services, property_assignments,
    set_property_extras, update_extra_service,
)
from app.pricing.service.quotes import (
    PricedProperty, add_price_lines, booked_extras, has_manual_price, load_priced_property, manual_line, price_lines,
    pricing_of, property_rates, quote_priced, quote_property, quote_stay, write_price_lines,
)
from app.pricing.service.seasons import (
    create_season, delete_season, get_pricing_property, get_season, list_seasons, update_season,
)
from app.pricing.service.tax_rules import (
    create_tax_rule, delete_tax_rule, get_tax_rule, list_tax_rules, update_tax_rule,
)

__all__ = [
    "PricedProperty", "add_price_lines", "load_priced_property", "quote_priced", "assigned_extras", "booked_extras", "create_extra_service", "create_season", "create_tax_rule", "delete_extra_service",
    "delete_season", "delete_tax_rule", "get_extra_service", "get_pricing_property", "get_season", "get_tax_rule",
    "has_manual_price", "list_extra_services", "list_seasons", "list_tax_rules", "manual_line", "price_lines",
    "pricing_of", "property_assignments", "property_rates", "quote_property", "quote_stay", "set_property_extras",
    "update_extra_service", "update_season", "update_tax_rule", "write_price_lines",
]
