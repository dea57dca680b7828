"""Guests: profiles, soft delete and the booking timeline.

Owns guest profile writes (service.py) and the JSON API (api.py). Booking
metrics on guests are kept by the inventory service with every booking write.
"""
