"""Properties, bookings, availability blocks and the inventory ranges they own."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import ARRAY, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, updated_at, uuid_pk
from app.extensions import db

BOOKING_STATUSES = ("inquiry", "pending", "confirmed", "checked_in", "checked_out",
                    "cancelled", "declined", "no_show")
OCCUPYING_STATUSES = ("pending", "confirmed", "checked_in", "checked_out")
RANGE_KINDS = ("booking", "block", "channel_hold")
RANGE_STATES = ("active", "released")
# request: a website booking is an inquiry that blocks nothing; instant: a pending booking that holds the dates
DIRECT_BOOKING_MODES = ("request", "instant")



class Property(db.Model):
    __tablename__ = "properties"
    __table_args__ = (
        CheckConstraint("min_stay_nights >= 1", name="min_stay_positive"),
        CheckConstraint("max_advance_days >= 1", name="max_advance_positive"),
        CheckConstraint("weekly_discount_percent BETWEEN 0 AND 90", name="weekly_discount_range"),
        CheckConstraint("monthly_discount_percent BETWEEN 0 AND 90", name="monthly_discount_range"),
        Index("ix_properties_agency_name", "agency_id", "name"),
        UniqueConstraint("agency_id", "slug"),
        CheckConstraint(f"direct_booking_mode IN {DIRECT_BOOKING_MODES}", name="direct_booking_mode"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_together"),
        CheckConstraint("latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="coordinates_range"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    name: Mapped[str]
    # Address on the agency's website (/unterkuenfte/<slug>); unique per agency. The service derives it
    # from the name; rows written by plain SQL get a random one.
    slug: Mapped[str] = mapped_column(String(100), server_default=text("gen_random_uuid()::text"))
    internal_name: Mapped[str | None]
    address_line: Mapped[str | None]
    postal_code: Mapped[str | None]
    city: Mapped[str | None]
    country: Mapped[str | None] = mapped_column(String(2))
    max_guests: Mapped[int] = mapped_column(server_default="2", default=2)
    bedrooms: Mapped[int] = mapped_column(server_default="1", default=1)
    is_active: Mapped[bool] = mapped_column(server_default="true", default=True)
    min_stay_nights: Mapped[int] = mapped_column(server_default="1", default=1)
    max_advance_days: Mapped[int] = mapped_column(server_default="730", default=730)
    check_in_time: Mapped[time] = mapped_column(server_default="15:00", default=time(15))
    check_out_time: Mapped[time] = mapped_column(server_default="10:00", default=time(10))
    base_nightly_rate: Mapped[Decimal] = mapped_column(Numeric(10, 2), server_default="0", default=0)
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR", default="EUR")
    timezone: Mapped[str] = mapped_column(server_default="Europe/Berlin", default="Europe/Berlin")
    # Pricing (spec 80): stay discounts on the nights' subtotal and the municipality's visitor tax.
    weekly_discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default="0", default=0)
    monthly_discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default="0", default=0)
    visitor_tax_rule_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("visitor_tax_rules.id", ondelete="SET NULL"))
    # Website content (spec 85): texts and facts of the public page; checkin_instructions is private.
    short_description: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)  # plain text, paragraphs split by blank lines
    area_sqm: Mapped[int | None]
    bathrooms: Mapped[int | None]
    beds: Mapped[int | None]
    house_rules: Mapped[str | None] = mapped_column(Text)
    cancellation_policy: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    checkin_instructions: Mapped[str | None] = mapped_column(Text)
    # Secret part of the public iCal export URL (/ical/<token>.ics); rotatable.
    ical_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
    deleted_at: Mapped[datetime | None]
    # direct booking from the public website
    direct_booking_mode: Mapped[str] = mapped_column(String(10), server_default="request", default="request")


class Booking(db.Model):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("check_out > check_in", name="dates_ordered"),
        CheckConstraint(f"status IN {BOOKING_STATUSES}", name="status"),
        CheckConstraint("adults >= 0 AND children >= 0", name="guest_counts"),
        CheckConstraint("children_ages IS NULL OR cardinality(children_ages) = children", name="children_ages_count"),
        ExcludeConstraint(
            ("agency_id", "="), ("property_id", "="),
            (text("daterange(check_in, check_out, '[)')"), "&&"),
            name="no_double_bookings", using="gist",
            where=text(f"status IN {OCCUPYING_STATUSES}"),
        ),
        Index("uq_bookings_external_ref", "agency_id", "source", "external_ref", unique=True,
              postgresql_where=text("external_ref IS NOT NULL")),
        Index("ix_bookings_property_dates", "property_id", "check_in"),
        Index("ix_bookings_agency_created", "agency_id", "created_at"),
        Index("ix_bookings_guest", "guest_id"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    guest_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("guests.id", ondelete="SET NULL"))
    check_in: Mapped[date]
    check_out: Mapped[date]
    status: Mapped[str] = mapped_column(server_default="confirmed", default="confirmed")
    source: Mapped[str] = mapped_column(server_default="direct", default="direct")
    external_ref: Mapped[str | None]
    adults: Mapped[int] = mapped_column(server_default="1", default=1)
    children: Mapped[int] = mapped_column(server_default="0", default=0)
    children_ages: Mapped[list[int] | None] = mapped_column(ARRAY(Integer))  # null: ages not known
    total_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), server_default="0", default=0)
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR", default="EUR")
    notes: Mapped[str | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[uuid.UUID | None]
    cancellation_reason: Mapped[str | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class AvailabilityBlock(db.Model):
    __tablename__ = "availability_blocks"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="dates_ordered"),
        ExcludeConstraint(
            ("property_id", "="), (text("daterange(start_date, end_date, '[)')"), "&&"),
            name="availability_blocks_no_overlap", using="gist",
        ),
        Index("ix_availability_blocks_agency", "agency_id"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    reason: Mapped[str] = mapped_column(server_default="", default="")
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = created_at()


class InventoryRange(db.Model):
    """The single source of truth for occupancy: one active row per occupying stay or block."""
    __tablename__ = "inventory_ranges"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="dates_ordered"),
        CheckConstraint(f"kind IN {RANGE_KINDS}", name="kind"),
        CheckConstraint(f"state IN {RANGE_STATES}", name="state"),
        ExcludeConstraint(
            ("property_id", "="), (text("daterange(start_date, end_date, '[)')"), "&&"),
            name="inventory_ranges_no_overlap", using="gist", where=text("state = 'active'"),
        ),
        Index("ix_inventory_ranges_source", "source_id"),
        Index("ix_inventory_ranges_property_active", "property_id", "start_date",
              postgresql_where=text("state = 'active'")),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    kind: Mapped[str]
    source_id: Mapped[uuid.UUID]
    state: Mapped[str] = mapped_column(server_default="active", default="active")
    # For channel holds: the connection and feed event they came from.
    connection_id: Mapped[uuid.UUID | None]
    external_uid: Mapped[str | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
