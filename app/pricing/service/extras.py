"""Extra services of an agency and their assignment to properties."""
from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import delete, select

from app.core.errors import ValidationFailed
from app.core.tenancy import get_owned, scoped, update_owned
from app.extensions import db
from app.inventory.models import Property
from app.pricing.models import ExtraService, PropertyExtraService
from app.pricing.service.seasons import get_pricing_property

EXTRA_NOT_FOUND = "Extra service not found"
EXTRA_FIELDS = frozenset({"name", "description", "price", "billing_unit", "is_mandatory", "max_quantity",
                          "vat_percent", "is_active"})


def get_extra_service(agency_id: uuid.UUID, extra_id: uuid.UUID) -> ExtraService:
    return get_owned(ExtraService, agency_id, extra_id, EXTRA_NOT_FOUND)


def list_extra_services(agency_id: uuid.UUID, active_only: bool = False) -> list[ExtraService]:
    query = scoped(ExtraService, agency_id).order_by(ExtraService.name, ExtraService.id)
    if active_only:
        query = query.where(ExtraService.is_active.is_(True))
    return list(db.session.scalars(query))


def check_extra_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - EXTRA_FIELDS)
    if unknown:
        raise ValidationFailed.field(unknown[0], "Unknown extra service field")
    if "name" in fields and not (fields["name"] or "").strip():
        raise ValidationFailed.field("name", "Name must not be empty")


def create_extra_service(agency_id: uuid.UUID, **fields) -> ExtraService:
    """Add an extra service to the agency's catalogue. Raises ValidationFailed."""
    check_extra_fields(fields)
    extra = ExtraService(id=uuid.uuid4(), agency_id=agency_id, **fields)
    db.session.add(extra)
    db.session.flush()
    return extra


def update_extra_service(agency_id: uuid.UUID, extra_id: uuid.UUID, **changes) -> ExtraService:
    """Change the given fields (is_active=false deactivates: no new bookings). Raises NotFound, ValidationFailed."""
    check_extra_fields(changes)
    return update_owned(ExtraService, agency_id, extra_id, EXTRA_NOT_FOUND, changes)


def delete_extra_service(agency_id: uuid.UUID, extra_id: uuid.UUID) -> None:
    """Delete a service and its assignments; booked price lines keep their label and amount."""
    db.session.delete(get_extra_service(agency_id, extra_id))
    db.session.flush()


def property_assignments(agency_id: uuid.UUID, property_id: uuid.UUID) -> list[tuple[ExtraService, Decimal | None]]:
    """The services offered at a property with their price overrides, by name. Raises NotFound."""
    return assigned_extras(get_pricing_property(agency_id, property_id))


def assigned_extras(prop: Property) -> list[tuple[ExtraService, Decimal | None]]:
    """The services offered at an already loaded property, with their price overrides, by name."""
    rows = db.session.execute(
        select(ExtraService, PropertyExtraService.price_override)
        .join(PropertyExtraService, PropertyExtraService.extra_service_id == ExtraService.id)
        .where(PropertyExtraService.property_id == prop.id, ExtraService.agency_id == prop.agency_id)
        .order_by(ExtraService.name, ExtraService.id))
    return [(extra, override) for extra, override in rows]


Assignment = tuple[uuid.UUID, Decimal | None]  # (extra service id, price override)


def set_property_extras(agency_id: uuid.UUID, property_id: uuid.UUID,
                        assignments: list[Assignment]) -> list[tuple[ExtraService, Decimal | None]]:
    """Replace the property's assigned services. Raises NotFound (property, another agency's service)."""
    prop = get_pricing_property(agency_id, property_id)
    ids = [extra_id for extra_id, _ in assignments]
    if len(set(ids)) != len(ids):
        raise ValidationFailed.field("extra_service_id", "Each extra service can be assigned once")
    for extra_id in ids:
        get_extra_service(agency_id, extra_id)
    db.session.execute(delete(PropertyExtraService).where(PropertyExtraService.property_id == prop.id))
    db.session.add_all(PropertyExtraService(property_id=prop.id, extra_service_id=extra_id, price_override=override)
                       for extra_id, override in assignments)
    db.session.flush()
    return property_assignments(agency_id, property_id)
