"""Listing content of the agency's properties: photos and amenities (spec 85, content the back office manages)."""
