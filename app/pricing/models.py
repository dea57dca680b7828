"""Rate seasons, extra services and their assignments, visitor-tax rules and booking price lines."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, text
from sqlalchemy.dialects.postgresql import ARRAY, ExcludeConstraint, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, updated_at, uuid_pk
from app.extensions import db

BILLING_UNITS = ("per_stay", "per_night", "per_person", "per_person_night", "per_unit", "per_unit_night")
LINE_KINDS = ("nights", "discount", "extra", "visitor_tax", "manual")
MONTH_DAY_PATTERN = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class RateSeason(db.Model):
    """A property's rates and stay rules for the nights [start_date, end_date)."""
    __tablename__ = "rate_seasons"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="dates_ordered"),
        CheckConstraint("nightly_rate > 0", name="nightly_rate_positive"),
        CheckConstraint("weekend_rate IS NULL OR weekend_rate > 0", name="weekend_rate_positive"),
        CheckConstraint("min_stay_nights IS NULL OR min_stay_nights >= 1", name="min_stay_positive"),
        CheckConstraint("arrival_weekdays IS NULL OR arrival_weekdays <@ ARRAY[1,2,3,4,5,6,7]",
                        name="arrival_weekdays_iso"),
        ExcludeConstraint(
            ("property_id", "="), (text("daterange(start_date, end_date, '[)')"), "&&"),
            name="rate_seasons_no_overlap", using="gist",
        ),
        Index("ix_rate_seasons_agency", "agency_id"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    name: Mapped[str]
    start_date: Mapped[date]
    end_date: Mapped[date]
    nightly_rate: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    weekend_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    min_stay_nights: Mapped[int | None]
    arrival_weekdays: Mapped[list[int] | None] = mapped_column(ARRAY(Integer))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class ExtraService(db.Model):
    """Something a stay can include: a final cleaning, bed linen, a cot per night."""
    __tablename__ = "extra_services"
    __table_args__ = (
        CheckConstraint(f"billing_unit IN {BILLING_UNITS}", name="billing_unit"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("max_quantity >= 1", name="max_quantity_positive"),
        CheckConstraint("vat_percent >= 0 AND vat_percent <= 100", name="vat_percent_range"),
        Index("ix_extra_services_agency_name", "agency_id", "name"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    name: Mapped[str]
    description: Mapped[str | None]
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    billing_unit: Mapped[str]
    is_mandatory: Mapped[bool] = mapped_column(server_default="false", default=False)
    max_quantity: Mapped[int] = mapped_column(server_default="1", default=1)
    vat_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default="0", default=0)
    is_active: Mapped[bool] = mapped_column(server_default="true", default=True)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class PropertyExtraService(db.Model):
    """An extra service offered at a property, optionally at its own price."""
    __tablename__ = "property_extra_services"
    __table_args__ = (
        CheckConstraint("price_override IS NULL OR price_override >= 0", name="price_override_not_negative"),
        Index("ix_property_extra_services_extra", "extra_service_id"),
    )
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"),
                                                   primary_key=True)
    extra_service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("extra_services.id", ondelete="CASCADE"),
                                                        primary_key=True)
    price_override: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))


class VisitorTaxRule(db.Model):
    """A municipality's visitor tax ("Kurtaxe"): per adult and night, child bands, season, cap."""
    __tablename__ = "visitor_tax_rules"
    __table_args__ = (
        CheckConstraint("amount_per_adult_night >= 0", name="amount_not_negative"),
        CheckConstraint("max_nights IS NULL OR max_nights >= 1", name="max_nights_positive"),
        CheckConstraint("(season_start IS NULL) = (season_end IS NULL)", name="season_both_or_none"),
        CheckConstraint(f"season_start IS NULL OR season_start ~ '{MONTH_DAY_PATTERN}'", name="season_start_format"),
        CheckConstraint(f"season_end IS NULL OR season_end ~ '{MONTH_DAY_PATTERN}'", name="season_end_format"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
        Index("ix_visitor_tax_rules_agency", "agency_id"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    name: Mapped[str]
    municipality: Mapped[str] = mapped_column(server_default="", default="")
    amount_per_adult_night: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    child_bands: Mapped[list] = mapped_column(JSONB, server_default=text("'[]'::jsonb"), default=list)
    max_nights: Mapped[int | None]
    season_start: Mapped[str | None]  # "MM-DD", first night of the taxed season
    season_end: Mapped[str | None]  # "MM-DD", last night of the taxed season (may wrap over New Year)
    collected_on_site: Mapped[bool] = mapped_column(server_default="false", default=False)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]  # last night the rule applies to; null = open-ended
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class BookingPriceLine(db.Model):
    """One line of a booking's price; total_price is the sum of the lines not collected on site."""
    __tablename__ = "booking_price_lines"
    __table_args__ = (
        CheckConstraint(f"kind IN {LINE_KINDS}", name="kind"),
        Index("ix_booking_price_lines_booking", "booking_id", "position"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    kind: Mapped[str]
    label: Mapped[str]
    quantity: Mapped[int] = mapped_column(server_default="1", default=1)
    unit_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    vat_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default="0", default=0)
    collected_on_site: Mapped[bool] = mapped_column(server_default="false", default=False)
    position: Mapped[int]
    # extra lines: which service and how many units were booked, so a re-quote can keep them
    extra_service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("extra_services.id", ondelete="SET NULL"))
    extra_quantity: Mapped[int | None]
