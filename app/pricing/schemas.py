"""JSON shapes of seasons, extra services, visitor-tax rules, rates and quotes (validated by pydantic)."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationInfo, field_validator, model_validator

from app.guests.schemas import DecimalOut
from app.pricing.engine import MAX_CHILD_AGE
from app.pricing.models import BILLING_UNITS, LINE_KINDS, MONTH_DAY_PATTERN
from app.web.limits import SaneDate

BillingUnit = Literal[BILLING_UNITS]
Money = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]
Rate = Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2)]
Weekday = Annotated[int, Field(ge=1, le=7)]
MonthDay = Annotated[str, Field(pattern=MONTH_DAY_PATTERN, description="MM-DD")]
ChildAge = Annotated[int, Field(ge=0, le=MAX_CHILD_AGE)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class Detail409(BaseModel):
    """409 body of an overlapping season."""
    detail: str
    error: str = Field(description="season_overlap")


# --- seasons ------------------------------------------------------------------------------

class SeasonPatch(BaseModel):
    """Partial update of a season; the nights are [start_date, end_date)."""
    model_config = ConfigDict(extra="forbid")
    name: str = Field(None, min_length=1, max_length=100)
    start_date: SaneDate = Field(None, description="first night of the season")
    end_date: SaneDate = Field(None, description="the day after the season's last night")
    nightly_rate: Rate = None
    weekend_rate: Rate | None = Field(None, description="Friday and Saturday nights; null = nightly_rate")
    min_stay_nights: int | None = Field(None, ge=1, le=365, description="null = the property's")
    arrival_weekdays: list[Weekday] | None = Field(None, min_length=1, max_length=7,
                                                   description="ISO weekdays 1-7 arrivals are allowed on; null = any")


class SeasonIn(SeasonPatch):
    name: str = Field(min_length=1, max_length=100)
    start_date: SaneDate = Field(description="first night of the season")
    end_date: SaneDate = Field(description="the day after the season's last night")
    nightly_rate: Rate

    @field_validator("end_date")
    @classmethod
    def after_start(cls, value: date, info: ValidationInfo) -> date:
        if "start_date" in info.data and value <= info.data["start_date"]:
            raise ValueError("end_date must be after start_date (the season's last night + 1)")
        return value


class SeasonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    property_id: uuid.UUID
    name: str
    start_date: date
    end_date: date
    nightly_rate: DecimalOut
    weekend_rate: DecimalOut | None
    min_stay_nights: int | None
    arrival_weekdays: list[int] | None
    created_at: datetime
    updated_at: datetime


class SeasonList(RootModel[list[SeasonOut]]):
    pass


# --- extra services -----------------------------------------------------------------------

class ExtraServicePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=1000)
    price: Money = None
    billing_unit: BillingUnit = Field(None, description="per_stay, per_night, per_person, per_person_night, "
                                                        "per_unit, per_unit_night")
    is_mandatory: bool = Field(None, description="always part of the price (e.g. a final cleaning)")
    max_quantity: int = Field(None, ge=1, le=100)
    vat_percent: Percent = None
    is_active: bool = Field(None, description="false = no longer bookable")


class ExtraServiceIn(ExtraServicePatch):
    name: str = Field(min_length=1, max_length=100)
    price: Money
    billing_unit: BillingUnit


class ExtraServiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    description: str | None
    price: DecimalOut
    billing_unit: str
    is_mandatory: bool
    max_quantity: int
    vat_percent: DecimalOut
    is_active: bool
    created_at: datetime
    updated_at: datetime


class ExtraServiceList(RootModel[list[ExtraServiceOut]]):
    pass


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    extra_service_id: uuid.UUID
    price_override: Money | None = Field(None, description="this property's price; null = the service's")


class AssignmentsIn(RootModel[list[AssignmentIn]]):
    """The whole list of assignments; [] removes every one."""
    root: list[AssignmentIn] = Field(max_length=100)

    @model_validator(mode="before")
    @classmethod
    def empty_list(cls, value):
        # spectree hands a falsy JSON body ([]) over as {}; the handler checks it really was []
        return [] if value == {} else value


class AssignmentOut(BaseModel):
    extra_service: ExtraServiceOut
    price_override: DecimalOut | None


class AssignmentList(RootModel[list[AssignmentOut]]):
    pass


# --- visitor tax --------------------------------------------------------------------------

class ChildBand(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_age: ChildAge
    max_age: ChildAge
    amount: Money = Field(description="per child and night")

    @field_validator("max_age")
    @classmethod
    def ordered(cls, value: int, info: ValidationInfo) -> int:
        if "min_age" in info.data and value < info.data["min_age"]:
            raise ValueError("max_age must not be below min_age")
        return value


def check_bands(bands: list[ChildBand] | None) -> list[ChildBand] | None:
    """Bands may not share an age: each child pays one amount."""
    ordered = sorted(bands or [], key=lambda band: band.min_age)
    for previous, band in zip(ordered, ordered[1:]):
        if band.min_age <= previous.max_age:
            raise ValueError(f"Child bands overlap at age {band.min_age}")
    return bands


class TaxRulePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(None, min_length=1, max_length=100)
    municipality: str = Field(None, max_length=100)
    amount_per_adult_night: Decimal = Field(None, ge=0, max_digits=6, decimal_places=2)
    child_bands: list[ChildBand] = Field(None, max_length=10, description="a child outside every band pays the "
                                                                           "adult amount")
    max_nights: int | None = Field(None, ge=1, le=365, description="nights charged per stay at most")
    season_start: MonthDay | None = Field(None, description="MM-DD of the first taxed night; null = all year")
    season_end: MonthDay | None = Field(None, description="MM-DD of the last taxed night; null = all year")
    collected_on_site: bool = Field(None, description="shown to the guest but not part of the booking total")
    valid_from: SaneDate = None
    valid_to: SaneDate | None = Field(None, description="last night the rule applies to; null = open-ended")

    @field_validator("child_bands")
    @classmethod
    def bands_apart(cls, value: list[ChildBand] | None) -> list[ChildBand] | None:
        return check_bands(value)


class TaxRuleIn(TaxRulePatch):
    name: str = Field(min_length=1, max_length=100)
    municipality: str = Field("", max_length=100)
    amount_per_adult_night: Decimal = Field(ge=0, max_digits=6, decimal_places=2)
    child_bands: list[ChildBand] = Field(default_factory=list, max_length=10,
                                         description="a child outside every band pays the adult amount")
    collected_on_site: bool = Field(False, description="shown to the guest but not part of the booking total")
    valid_from: SaneDate = Field(date(2000, 1, 1), description="first night the rule applies to")


class TaxRuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    municipality: str
    amount_per_adult_night: DecimalOut
    child_bands: list[dict]
    max_nights: int | None
    season_start: str | None
    season_end: str | None
    collected_on_site: bool
    valid_from: date
    valid_to: date | None
    created_at: datetime
    updated_at: datetime


class TaxRuleList(RootModel[list[TaxRuleOut]]):
    pass


# --- rates and quotes ---------------------------------------------------------------------

class RatesQuery(BaseModel):
    from_date: SaneDate
    to_date: SaneDate = Field(description="end of the window (exclusive), at most 400 days after from_date")


class DayRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    date: date
    nightly_rate: DecimalOut
    min_stay_nights: int = Field(description="minimum stay of an arrival on this day")
    arrival_allowed: bool
    source: str = Field(description="the season's name or 'base'")


class RatesOut(BaseModel):
    property_id: uuid.UUID
    currency: str
    rates: list[DayRateOut]


class ExtraRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    extra_service_id: uuid.UUID
    quantity: int = Field(1, ge=1, le=100)


class QuoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    property_id: uuid.UUID
    check_in: SaneDate
    check_out: SaneDate
    adults: int = Field(1, ge=0, le=50)
    children_ages: list[ChildAge] = Field(default_factory=list, max_length=50)
    extras: list[ExtraRequestIn] = Field(default_factory=list, max_length=50)


class NightOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    date: date
    rate: DecimalOut
    source: str


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kind: Literal[LINE_KINDS]
    label: str
    quantity: int
    unit_amount: DecimalOut
    amount: DecimalOut
    vat_percent: DecimalOut
    collected_on_site: bool
    extra_service_id: uuid.UUID | None = None


class QuoteOut(BaseModel):
    available: bool = Field(description="false: the dates are taken (still priced)")
    currency: str
    nights: list[NightOut]
    lines: list[LineOut]
    total: DecimalOut = Field(description="payable with the booking")
    on_site_total: DecimalOut = Field(description="collected on site (e.g. visitor tax)")

    @classmethod
    def of(cls, quote) -> "QuoteOut":
        return cls(available=quote.available, currency=quote.currency,
                   nights=[NightOut(date=n.date, rate=n.nightly_rate, source=n.source) for n in quote.nights],
                   lines=[LineOut.model_validate(line) for line in quote.lines], total=quote.total,
                   on_site_total=quote.on_site_total)
