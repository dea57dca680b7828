"""Inventory: properties, bookings, availability blocks, channel holds and availability.

`service` is the only code that writes these tables (and guest metrics);
`api` is the JSON rendering. A property can never be double booked: every
occupying stay, block and channel hold owns one active inventory range and the
database's exclusion constraints reject overlaps.
"""
