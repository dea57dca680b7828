"""The Rates page: a property's month of effective rates and minimum stays with its seasons as
coloured bands; a selected range opens the season dialog; seasons are edited and deleted in dialogs."""
from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import render_template, request
from pydantic import BaseModel, Field

from app.core.errors import DomainError
from app.db import commit_with_retry
from app.inventory import service as inventory
from app.inventory.schemas import AvailabilityQuery
from app.inventory.views.base import close_modal
from app.pricing import engine, service
from app.pricing.api import PRICING_EDITORS
from app.pricing.models import RateSeason
from app.pricing.schemas import SeasonIn
from app.pricing.views.base import RATES_CHANGED, bp, can_edit_pricing
from app.web.auth import current_agency_id, require_role
from app.web.forms import field_errors, form_status, form_values, validated
from app.web.htmx import render_page_or_partial, toast
from app.web.pages import agency_timezone
from app.web.panels import load

SEASON_FORM_FIELDS = ("name", "start_date", "end_date", "nightly_rate", "weekend_rate", "min_stay_nights")
BAND_COLOURS = 6  # seasons cycle through the stylesheet's band colours
WEEKDAYS = tuple(enumerate(engine.WEEKDAY_NAMES, start=1))


class RatesQuery(BaseModel):
    property_id: uuid.UUID | None = None
    month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")

    def first_day(self, today: date) -> date:
        return datetime.strptime(self.month, "%Y-%m").date() if self.month else today.replace(day=1)


@dataclass(frozen=True)
class RateCell:
    rate: engine.DayRate
    in_month: bool
    band: int | None  # colour index of the night's season


@dataclass(frozen=True)
class RatesMonth:
    property_id: uuid.UUID
    currency: str
    month: date
    weeks: list[list[RateCell]]
    seasons: list[tuple[RateSeason, int]]  # with the colour band of its name

    @property
    def previous_month(self) -> date:
        return (self.month - timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> date:
        return (self.month + timedelta(days=32)).replace(day=1)


def rates_month(agency_id: uuid.UUID, property_id: uuid.UUID, month: date) -> RatesMonth:
    """Whole weeks around the month, each night with its engine rate and season band."""
    weeks = calendar.Calendar().monthdatescalendar(month.year, month.month)
    start, end = weeks[0][0], weeks[-1][-1] + timedelta(days=1)
    prop = service.get_pricing_property(agency_id, property_id)
    seasons = service.list_seasons(agency_id, property_id)
    bands: dict[str, int] = {}
    for season in seasons:  # a night knows its season by name: one colour per name
        bands.setdefault(season.name, len(bands) % BAND_COLOURS)
    rates = iter(engine.effective_rates(service.pricing_of(prop, start, end), start, end))
    grid = [[RateCell(rate, rate.date.month == month.month, bands.get(rate.source)) for _, rate in zip(week, rates)]
            for week in weeks]
    return RatesMonth(prop.id, prop.currency, month, grid, [(season, bands[season.name]) for season in seasons])


@bp.get("/rates")
def rates():
    agency_id, args = current_agency_id(), request.args.to_dict()
    properties = inventory.list_properties(agency_id, limit=100).items
    today = datetime.now(agency_timezone()).date()

    def fetch():
        query = validated(RatesQuery, form_values(RatesQuery, args, ("property_id", "month")))
        property_id = query.property_id or (properties[0].id if properties else None)
        return rates_month(agency_id, property_id, query.first_day(today)) if property_id else None

    loaded = load("the rates", fetch)
    return render_page_or_partial("pricing/rates.html", "pricing/partials/_rates_grid.html", status=loaded.status,
                                  month=loaded.value, error=loaded.error, properties=properties, today=today,
                                  can_edit=can_edit_pricing())


def checked_weekdays(values) -> set[int]:
    """The arrival weekdays to tick: a submitted form's boxes or a season's list (none = any day)."""
    days = values.getlist("arrival_weekdays") if hasattr(values, "getlist") else \
        getattr(values, "arrival_weekdays", None) or []
    return {int(day) for day in days if str(day).isdigit()}


def season_form(values, errors: dict, season: RateSeason | None = None, property_id=None, status: int = 200):
    return render_template("pricing/partials/_season_dialog.html", values=values, errors=errors, season=season,
                           property_id=property_id or season.property_id, weekdays=WEEKDAYS,
                           checked_days=checked_weekdays(values)), status


def season_fields(form) -> dict:
    values = form_values(SeasonIn, form, SEASON_FORM_FIELDS)
    days = form.getlist("arrival_weekdays")
    values["arrival_weekdays"] = days or None
    return validated(SeasonIn, values).model_dump()


@bp.get("/seasons/new")
@require_role(*PRICING_EDITORS)
def season_new():
    """The season dialog over a range selected in the grid (from_date = first night, to_date = departure)."""
    query = validated(AvailabilityQuery, request.args.to_dict())
    prop = service.get_pricing_property(current_agency_id(), query.property_id)
    values = {"start_date": query.from_date, "end_date": query.to_date, "name": ""}
    return season_form(values, {}, property_id=prop.id)


@bp.post("/properties/<uuid:property_id>/seasons")
@require_role(*PRICING_EDITORS)
def create_season(property_id: uuid.UUID):
    agency_id = current_agency_id()
    service.get_pricing_property(agency_id, property_id)  # another agency's property: 404, not a form error
    try:
        fields = season_fields(request.form)
        commit_with_retry(lambda: service.create_season(agency_id, property_id, **fields))
    except DomainError as exc:
        return season_form(request.form, field_errors(exc), property_id=property_id, status=form_status(exc))
    return close_modal(trigger={**toast("Season created"), RATES_CHANGED: True})


@bp.get("/seasons/<uuid:season_id>/edit")
@require_role(*PRICING_EDITORS)
def season_edit(season_id: uuid.UUID):
    season = service.get_season(current_agency_id(), season_id)
    return season_form(season, {}, season=season)


@bp.post("/seasons/<uuid:season_id>/edit")
@require_role(*PRICING_EDITORS)
def update_season(season_id: uuid.UUID):
    agency_id = current_agency_id()
    season = service.get_season(agency_id, season_id)
    try:
        fields = season_fields(request.form)
        commit_with_retry(lambda: service.update_season(agency_id, season_id, **fields))
    except DomainError as exc:
        return season_form(request.form, field_errors(exc), season=season, status=form_status(exc))
    return close_modal(trigger={**toast("Season saved"), RATES_CHANGED: True})


@bp.get("/seasons/<uuid:season_id>/delete")
@require_role(*PRICING_EDITORS)
def season_delete_confirm(season_id: uuid.UUID):
    return render_template("pricing/partials/_confirm_season_delete.html",
                           season=service.get_season(current_agency_id(), season_id))


@bp.post("/seasons/<uuid:season_id>/delete")
@require_role(*PRICING_EDITORS)
def delete_season(season_id: uuid.UUID):
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_season(agency_id, season_id))
    return close_modal(trigger={**toast("Season removed; its nights use the base rate again"), RATES_CHANGED: True})
