"""The public pages' query strings (search and quote), validated with pydantic.

Messages are the site's own (German or English), one per field, because
visitors read them next to the field.
"""
from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator, model_validator

from app.direct.models import MAX_MESSAGE_LENGTH
from app.pricing.schemas import ChildAge
from app.web.limits import SaneDate

MAX_GUESTS = 50
MAX_CHILDREN = 20
FIELD_MESSAGES = {
    "arrival": _l("Please enter a valid arrival date."),
    "departure": _l("Please enter a valid departure date after the arrival."),
    "guests": _l("Please enter a number of guests between 1 and 50."),
    "adults": _l("Please enter a number of adults between 1 and 50."),
    "children_ages": _l("Please enter the children's ages (0–17), separated by commas."),
    "extras": _l("Please choose only extras offered here."),
    # the booking request form
    "name": _l("Please enter your first and last name."),
    "email": _l("Please enter a valid e-mail address."),
    "phone": _l("Please enter a valid phone number (digits, spaces, +, -, / and brackets)."),
    "message": _l("Please keep your message under 2,000 characters."),
    "privacy_consent": _l("Please agree to the privacy policy so we can process your request."),
    "amenity": _l("Please choose amenities from the list."),
}
MAX_AMENITY_FILTERS = 50


class StayQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    arrival: SaneDate | None = None
    departure: SaneDate | None = None

    @model_validator(mode="after")
    def departure_after_arrival(self):
        if (self.arrival is None) != (self.departure is None) or (self.arrival and self.departure <= self.arrival):
            raise ValueError("departure")
        return self


class SearchQuery(StayQuery):
    guests: int | None = Field(None, ge=1, le=MAX_GUESTS)
    amenity: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_AMENITY_FILTERS)


class QuoteQuery(StayQuery):
    arrival: SaneDate
    departure: SaneDate
    adults: int = Field(2, ge=1, le=MAX_GUESTS)
    children_ages: list[ChildAge] = Field(default_factory=list, max_length=MAX_CHILDREN)
    extras: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_CHILDREN)


class GuestContact(BaseModel):
    """Who asks (booking request form and public API alike); `website` is the honeypot humans never see."""
    name: str = Field(min_length=3, max_length=200, pattern=r"\S\s+\S", description="first and last name")
    email: EmailStr = Field(max_length=254)
    phone: str | None = Field(None, max_length=40, pattern=r"^\+?[0-9 ()/-]{4,40}$")
    message: str = Field("", max_length=MAX_MESSAGE_LENGTH)
    privacy_consent: bool = Field(description="the guest agreed to the privacy policy (must be true)")
    website: str = Field("", max_length=200, description="leave empty (spam trap)")

    @field_validator("privacy_consent")
    @classmethod
    def consented(cls, value: bool) -> bool:
        if not value:
            raise ValueError("The privacy policy must be accepted")
        return value


class BookingForm(QuoteQuery, GuestContact):
    privacy_consent: bool = Field(False, validate_default=True)  # an unticked box is not sent at all


def query_values(args, names: tuple[str, ...]) -> dict:
    """The non-blank query parameters; `children_ages` as a comma list, `extras` and `amenity` repeated."""
    values = {name: args.get(name, "").strip() for name in names if args.get(name, "").strip()}
    if "children_ages" in values:
        values["children_ages"] = [part.strip() for part in values["children_ages"].split(",") if part.strip()]
    for name, limit in (("extras", MAX_CHILDREN), ("amenity", MAX_AMENITY_FILTERS)):
        if name in names:
            values[name] = args.getlist(name)[:limit + 1]
    return values


def parse(model: type[BaseModel], args) -> tuple[BaseModel | None, dict, dict]:
    """(the valid query or None, the raw values for the form, field messages)."""
    names = tuple(model.model_fields)
    values = query_values(args, names)
    try:
        return model.model_validate(values), values, {}
    except ValidationError as exc:
        fields = error_fields(exc)
    if not fields & {"arrival", "departure"}:  # the date order is checked only once the fields are valid
        try:
            StayQuery.model_validate({name: values[name] for name in ("arrival", "departure") if name in values})
        except ValidationError as exc:
            fields |= error_fields(exc)
    return None, values, {name: FIELD_MESSAGES[name] for name in fields}


def error_fields(exc: ValidationError) -> set[str]:
    """The fields named by pydantic's errors; an error of the whole stay belongs to the departure."""
    return {str(error["loc"][0]) if error["loc"] else "departure" for error in exc.errors()}
