"""The calendar: a month grid per property and the occupancy chart of all properties; a selected
free range opens a dialog to book or block it; blocks are created and deleted here (availability
changes refresh the grid and the chart)."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from flask import render_template, request, url_for
from pydantic import BaseModel, Field, field_validator

from app.core.errors import DomainError, Forbidden
from app.core.pagination import MAX_OFFSET
from app.db import commit_with_retry
from app.inventory import service
from app.inventory.api.base import BLOCK_EDITORS, BOOKING_EDITORS
from app.inventory.schemas import AvailabilityQuery, BlockIn
from app.inventory.service import calendar as calendar_service, occupancy_chart as chart_service
from app.inventory.views.base import AVAILABILITY_CHANGED, bp, close_modal
from app.inventory.views.bookings import BOOKING_DEFAULTS, form_options, property_choices
from app.inventory.views.properties import load_blocks
from app.web.auth import current_agency_id, current_principal, has_role, require_role
from app.web.forms import field_errors, form_status, form_values, validated
from app.web.htmx import render_page_or_partial, toast
from app.web.limits import within_date_window
from app.web.pages import agency_timezone
from app.web.panels import load

# The chart opens a little before today, so stays that just ended are still in view.
CHART_DAYS_BEFORE_TODAY = 2
ID_SLOT = uuid.UUID(int=0)


def url_around_id(endpoint: str, id_name: str) -> tuple[str, str]:
    """The URL of `endpoint` before and after its id: the chart links thousands of bars, each
    url_for would cost more than the rest of a bar."""
    before, _, after = url_for(endpoint, **{id_name: ID_SLOT}).partition(str(ID_SLOT))
    return before, after


class CalendarQuery(BaseModel):
    property_id: uuid.UUID | None = None
    month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")

    @field_validator("month")
    @classmethod
    def month_in_date_window(cls, value: str | None) -> str | None:
        if value is not None:  # the window starts and ends with whole months
            within_date_window(date(max(int(value[:4]), 1), int(value[5:]), 1))
        return value

    def first_day(self, today: date) -> date:
        return datetime.strptime(self.month, "%Y-%m").date() if self.month else today.replace(day=1)


@bp.get("/calendar")
def calendar():
    agency_id, args = current_agency_id(), request.args.to_dict()
    properties = property_choices(agency_id)
    today = datetime.now(agency_timezone()).date()

    def fetch():
        query = validated(CalendarQuery, form_values(CalendarQuery, args, ("property_id", "month")))
        property_id = query.property_id or (properties[0].id if properties else None)
        return calendar_service.month_calendar(agency_id, property_id, query.first_day(today)) if property_id \
            else None

    loaded = load("the calendar", fetch)
    return render_page_or_partial(
        "inventory/calendar.html", "inventory/partials/_calendar_grid.html", status=loaded.status,
        month=loaded.value, error=loaded.error, properties=properties, today=today,
        can_book=has_role(*BOOKING_EDITORS), can_block=has_role(*BLOCK_EDITORS))


class OccupancyQuery(BaseModel):
    start: date | None = Field(None, ge=date(2000, 1, 1), le=date(2099, 12, 31), description="YYYY-MM-DD")
    days: int = Field(30, description="14, 30 or 60")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    @field_validator("days")
    @classmethod
    def offered_window(cls, value: int) -> int:
        if value not in chart_service.WINDOW_DAYS:
            raise ValueError("Show 14, 30 or 60 days")
        return value


@bp.get("/calendar/occupancy")
def occupancy_chart():
    agency_id, args = current_agency_id(), request.args.to_dict()
    today = datetime.now(agency_timezone()).date()

    def fetch():
        query = validated(OccupancyQuery, form_values(OccupancyQuery, args, ("start", "days", "offset")))
        start = query.start or today - timedelta(days=CHART_DAYS_BEFORE_TODAY)
        return chart_service.occupancy_chart(agency_id, start, query.days, query.offset)

    loaded = load("the occupancy chart", fetch)
    return render_page_or_partial(
        "inventory/occupancy.html", "inventory/partials/_occupancy_chart.html", status=loaded.status,
        chart=loaded.value, error=loaded.error, today=today, window_sizes=chart_service.WINDOW_DAYS,
        booking_url=url_around_id("inventory.booking_detail", "booking_id"),
        block_url=url_around_id("inventory.block_delete_confirm", "block_id"),
        can_book=has_role(*BOOKING_EDITORS), can_block=has_role(*BLOCK_EDITORS))


@bp.get("/calendar/range")
def calendar_range():
    can_book, can_block = has_role(*BOOKING_EDITORS), has_role(*BLOCK_EDITORS)
    if not (can_book or can_block):
        raise Forbidden()
    query = validated(AvailabilityQuery, request.args.to_dict())
    prop = service.get_property(current_agency_id(), query.property_id)
    values = {**BOOKING_DEFAULTS, "property_id": prop.id, "check_in": query.from_date, "check_out": query.to_date,
              "start_date": query.from_date, "end_date": query.to_date, "mode": "dialog"}
    return render_template("inventory/partials/_calendar_range_dialog.html", prop=prop, values=values,
                           errors={}, can_book=can_book, can_block=can_block, **form_options([prop]))


@bp.post("/blocks")
@require_role(*BLOCK_EDITORS)
def create_block():
    agency_id, user_id = current_agency_id(), current_principal().user.id
    try:
        data = validated(BlockIn, form_values(BlockIn, request.form, ("property_id", "start_date", "end_date",
                                                                      "reason")))
        stay = service.Stay(data.start_date, data.end_date)
        commit_with_retry(lambda: service.create_block(agency_id, data.property_id, stay, data.reason,
                                                       created_by=user_id))
    except DomainError as exc:
        return render_template("inventory/partials/_block_form.html", values=request.form,
                               errors=field_errors(exc)), form_status(exc)
    return close_modal(trigger={**toast("Dates blocked"), AVAILABILITY_CHANGED: True})


@bp.get("/blocks/<uuid:block_id>/delete")
@require_role(*BLOCK_EDITORS)
def block_delete_confirm(block_id: uuid.UUID):
    block = service.get_block(current_agency_id(), block_id)
    return render_template("inventory/partials/_confirm_block_delete.html", block=block)


@bp.post("/blocks/<uuid:block_id>/delete")
@require_role(*BLOCK_EDITORS)
def delete_block(block_id: uuid.UUID):
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_block(agency_id, block_id))
    return close_modal(trigger={**toast("Block removed; the dates are free again"), AVAILABILITY_CHANGED: True})


@bp.get("/properties/<uuid:property_id>/blocks")
def property_blocks(property_id: uuid.UUID):
    agency_id = current_agency_id()
    prop = service.get_property(agency_id, property_id)
    return render_template("inventory/partials/_property_blocks.html", prop=prop,
                           blocks=load_blocks(agency_id, prop.id), can_block=has_role(*BLOCK_EDITORS))
