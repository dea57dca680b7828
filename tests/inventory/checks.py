"""Invariant checks on the inventory tables, read straight from the database."""
from __future__ import annotations

from sqlalchemy import text

OVERLAPPING_ACTIVE_RANGES = text("""
    SELECT count(*) FROM inventory_ranges a JOIN inventory_ranges b
      ON a.property_id = b.property_id AND a.id < b.id
     AND daterange(a.start_date, a.end_date, '[)') && daterange(b.start_date, b.end_date, '[)')
   WHERE a.state = 'active' AND b.state = 'active'""")
# an occupying booking or a block without exactly one active range, or an active range without its owner
RANGE_OWNERSHIP_ERRORS = text("""
    SELECT count(*) FROM (
        SELECT b.id, (SELECT count(*) FROM inventory_ranges r WHERE r.source_id = b.id AND r.state = 'active') AS n,
               b.status IN ('pending', 'confirmed', 'checked_in', 'checked_out') AS occupying
          FROM bookings b
        UNION ALL
        SELECT k.id, (SELECT count(*) FROM inventory_ranges r WHERE r.source_id = k.id AND r.state = 'active'), true
          FROM availability_blocks k
    ) owners WHERE n <> CASE WHEN occupying THEN 1 ELSE 0 END""")
ORPHAN_ACTIVE_RANGES = text("""
    SELECT count(*) FROM inventory_ranges r WHERE r.state = 'active' AND r.kind <> 'channel_hold' AND NOT EXISTS (
        SELECT 1 FROM bookings b WHERE b.id = r.source_id AND b.check_in = r.start_date
           AND b.check_out = r.end_date AND b.status IN ('pending', 'confirmed', 'checked_in', 'checked_out')
        UNION ALL
        SELECT 1 FROM availability_blocks k WHERE k.id = r.source_id AND k.start_date = r.start_date
           AND k.end_date = r.end_date)""")


def inventory_problems(session) -> dict:
    """Counts of every broken invariant; all zero when the inventory is consistent."""
    return {"overlapping_active_ranges": session.scalar(OVERLAPPING_ACTIVE_RANGES),
            "range_ownership_errors": session.scalar(RANGE_OWNERSHIP_ERRORS),
            "orphan_active_ranges": session.scalar(ORPHAN_ACTIVE_RANGES)}


CONSISTENT = {"overlapping_active_ranges": 0, "range_ownership_errors": 0, "orphan_active_ranges": 0}
