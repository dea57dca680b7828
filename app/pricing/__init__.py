"""Pricing: rate seasons, extra services, visitor tax and the engine that prices every stay.

Owns `rate_seasons`, `extra_services`, `property_extra_services`, `visitor_tax_rules`
and `booking_price_lines`. `engine.quote()` is the only code in the product that
computes a price: the booking form and API, `POST /api/v1/quotes` and every
channel `pricing_update` ask it. Reads properties and occupancy from inventory and
never writes them; booking price lines are written through `service.write_price_lines`
inside the booking's own transaction.
"""
