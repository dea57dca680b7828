"""Photos and amenities of the agency's properties: every write and rule, and the reads the websites use.

Tenancy: a photo belongs to the agency of its property; another agency's photo,
amenity or property id reads as missing (404), and amenity ids given for a
property must all be the agency's own (422 otherwise). Services flush, the
caller commits; photo files are written before the row and removed by the
caller only after the commit that deleted the row (`discard_files`).
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.tenancy import get_owned, scoped, update_owned
from app.extensions import db
from app.inventory import service as inventory
from app.inventory.models import Property
from app.listing import media
from app.listing.icons import is_known_icon
from app.listing.models import Amenity, PropertyPhoto, property_amenities
from app.listing.schemas import MAX_CAPTION

PHOTO_NOT_FOUND = "Photo not found"
AMENITY_NOT_FOUND = "Amenity not found"
NAME_TAKEN = "Another amenity already has this name"
MAX_PHOTOS = 60


# --- photos -------------------------------------------------------------------------------

def list_photos(agency_id: uuid.UUID, property_id: uuid.UUID) -> list[PropertyPhoto]:
    """The property's photos in their order. Raises NotFound for another agency's property."""
    inventory.get_property(agency_id, property_id)
    return photos_of(property_id)


def photos_of(property_id: uuid.UUID) -> list[PropertyPhoto]:
    return list(db.session.scalars(select(PropertyPhoto).where(PropertyPhoto.property_id == property_id)
                                   .order_by(PropertyPhoto.position, PropertyPhoto.created_at)))


def get_photo(agency_id: uuid.UUID, photo_id: uuid.UUID, for_update: bool = False) -> PropertyPhoto:
    """The agency's photo of a not deleted property. Raises NotFound "Photo not found"."""
    query = (select(PropertyPhoto).join(Property, Property.id == PropertyPhoto.property_id)
             .where(PropertyPhoto.id == photo_id, Property.agency_id == agency_id, Property.deleted_at.is_(None)))
    photo = db.session.scalar(query.with_for_update(of=PropertyPhoto) if for_update else query)
    if photo is None:
        raise NotFound(PHOTO_NOT_FOUND)
    return photo


def add_photo(agency_id: uuid.UUID, property_id: uuid.UUID, stream: BinaryIO | None,
              caption: str = "") -> PropertyPhoto:
    """Store an upload (checked, cleaned, two sizes) as the property's last photo. Raises NotFound,
    ValidationFailed (no file, not a JPEG/PNG/WebP, too large, too many pixels, too many photos, a long caption)."""
    inventory.get_property(agency_id, property_id)
    if stream is None:
        raise ValidationFailed.field("file", "Send the photo as the multipart field 'file'")
    if len(caption) > MAX_CAPTION:
        raise ValidationFailed.field("caption", f"At most {MAX_CAPTION} characters")
    count = db.session.scalar(select(func.count()).where(PropertyPhoto.property_id == property_id))
    if count >= MAX_PHOTOS:
        raise ValidationFailed.field("file", f"At most {MAX_PHOTOS} photos per property")
    photo_id = uuid.uuid4()
    stem = media.photo_stem(agency_id, property_id, photo_id)
    written = media.store_photo(stream, stem)
    try:
        last = db.session.scalar(select(func.max(PropertyPhoto.position))
                                 .where(PropertyPhoto.property_id == property_id))
        photo = PropertyPhoto(id=photo_id, property_id=property_id, file=stem, caption=caption,
                              position=(last or 0) + 1)
        db.session.add(photo)
        db.session.flush()
    except Exception:
        media.remove_files(written)
        raise
    return photo


def update_photo(agency_id: uuid.UUID, photo_id: uuid.UUID, caption: str) -> PropertyPhoto:
    photo = get_photo(agency_id, photo_id, for_update=True)
    photo.caption = caption
    db.session.flush()
    return photo


def move_photo(agency_id: uuid.UUID, photo_id: uuid.UUID, step: int) -> list[PropertyPhoto]:
    """Move a photo one place earlier (-1) or later (+1); returns the property's photos in the new order."""
    photo = get_photo(agency_id, photo_id)
    order = [item.id for item in photos_of(photo.property_id)]
    index = order.index(photo.id)
    target = min(max(index + step, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    return reorder_photos(agency_id, photo.property_id, order)


def reorder_photos(agency_id: uuid.UUID, property_id: uuid.UUID, photo_ids: list[uuid.UUID]) -> list[PropertyPhoto]:
    """Give the property's photos the order of `photo_ids`, which must name each of them once (422 otherwise)."""
    inventory.get_property(agency_id, property_id)
    photos = {photo.id: photo for photo in db.session.scalars(
        select(PropertyPhoto).where(PropertyPhoto.property_id == property_id).with_for_update())}
    if sorted(photo_ids) != sorted(photos) or len(set(photo_ids)) != len(photo_ids):
        raise ValidationFailed.field("photo_ids", "Name every photo of the property exactly once")
    for position, photo_id in enumerate(photo_ids, start=1):
        photos[photo_id].position = position
    db.session.flush()
    return photos_of(property_id)


def delete_photo(agency_id: uuid.UUID, photo_id: uuid.UUID) -> list[Path]:
    """Remove the photo's row; returns its files for `discard_files` once the deletion is committed."""
    photo = get_photo(agency_id, photo_id, for_update=True)
    files = media.stored_paths(photo.file)
    db.session.delete(photo)
    db.session.flush()
    return files


def discard_files(files: list[Path]) -> None:
    media.remove_files(files)


def first_photos(property_ids: list[uuid.UUID]) -> dict[uuid.UUID, PropertyPhoto]:
    """Each property's first photo (for lists): one query."""
    if not property_ids:
        return {}
    query = (select(PropertyPhoto).where(PropertyPhoto.property_id.in_(property_ids))
             .ext(distinct_on(PropertyPhoto.property_id))
             .order_by(PropertyPhoto.property_id, PropertyPhoto.position, PropertyPhoto.created_at))
    return {photo.property_id: photo for photo in db.session.scalars(query)}


# --- amenities ----------------------------------------------------------------------------

def list_amenities(agency_id: uuid.UUID) -> list[Amenity]:
    return list(db.session.scalars(scoped(Amenity, agency_id).order_by(Amenity.position, Amenity.name)))


def get_amenity(agency_id: uuid.UUID, amenity_id: uuid.UUID) -> Amenity:
    return get_owned(Amenity, agency_id, amenity_id, AMENITY_NOT_FOUND)


def check_amenity(agency_id: uuid.UUID, fields: dict, amenity_id: uuid.UUID | None = None) -> None:
    """The icon is one of the vendored set; the name is not yet used by another of the agency's amenities."""
    if "icon" in fields and not is_known_icon(fields["icon"]):
        raise ValidationFailed.field("icon", "Choose one of the offered icons")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        query = scoped(Amenity, agency_id).where(func.lower(Amenity.name) == fields["name"].lower())
        if amenity_id is not None:
            query = query.where(Amenity.id != amenity_id)
        if db.session.scalar(query.limit(1)) is not None:
            raise ValidationFailed.field("name", NAME_TAKEN)


@contextmanager
def unique_name() -> Iterator[None]:
    """Two requests creating one name at once: the second is a 409, never a 500."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as exc:
        if getattr(getattr(exc.orig, "diag", None), "constraint_name", None) == "uq_amenities_agency_id_name":
            raise Conflict(NAME_TAKEN) from exc
        raise


def create_amenity(agency_id: uuid.UUID, **fields) -> Amenity:
    """A new amenity, last in the order unless a position is given. Raises ValidationFailed."""
    check_amenity(agency_id, fields)
    if fields.get("position") is None:
        last = db.session.scalar(select(func.max(Amenity.position)).where(Amenity.agency_id == agency_id))
        fields["position"] = (last or 0) + 1
    amenity = Amenity(agency_id=agency_id, **fields)
    with unique_name():
        db.session.add(amenity)
    return amenity


def update_amenity(agency_id: uuid.UUID, amenity_id: uuid.UUID, **changes) -> Amenity:
    check_amenity(agency_id, changes, amenity_id)
    with unique_name():
        return update_owned(Amenity, agency_id, amenity_id, AMENITY_NOT_FOUND, changes)


def delete_amenity(agency_id: uuid.UUID, amenity_id: uuid.UUID) -> None:
    """Remove the amenity; properties lose its tick (the rows cascade)."""
    db.session.delete(get_amenity(agency_id, amenity_id))
    db.session.flush()


def property_amenities_of(property_id: uuid.UUID) -> list[Amenity]:
    query = (select(Amenity).join(property_amenities, property_amenities.c.amenity_id == Amenity.id)
             .where(property_amenities.c.property_id == property_id).order_by(Amenity.position, Amenity.name))
    return list(db.session.scalars(query))


def amenities_by_property(property_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Amenity]]:
    """Each property's amenities in their order (one query; for lists)."""
    result: dict[uuid.UUID, list[Amenity]] = {property_id: [] for property_id in property_ids}
    if property_ids:
        query = (select(property_amenities.c.property_id, Amenity)
                 .join(property_amenities, property_amenities.c.amenity_id == Amenity.id)
                 .where(property_amenities.c.property_id.in_(property_ids)).order_by(Amenity.position, Amenity.name))
        for property_id, amenity in db.session.execute(query):
            result[property_id].append(amenity)
    return result


def list_property_amenities(agency_id: uuid.UUID, property_id: uuid.UUID) -> list[Amenity]:
    inventory.get_property(agency_id, property_id)
    return property_amenities_of(property_id)


def set_property_amenities(agency_id: uuid.UUID, property_id: uuid.UUID,
                           amenity_ids: list[uuid.UUID]) -> list[Amenity]:
    """Tick exactly these amenities for the property. Raises NotFound, ValidationFailed (not the agency's)."""
    inventory.get_property(agency_id, property_id)
    wanted = set(amenity_ids)
    owned = set(db.session.scalars(select(Amenity.id).where(Amenity.agency_id == agency_id,
                                                             Amenity.id.in_(wanted)))) if wanted else set()
    if owned != wanted:
        raise ValidationFailed.field("amenity_ids", AMENITY_NOT_FOUND)
    db.session.execute(delete(property_amenities).where(property_amenities.c.property_id == property_id))
    if wanted:
        db.session.execute(insert(property_amenities),
                           [{"property_id": property_id, "amenity_id": amenity_id} for amenity_id in wanted])
    db.session.flush()
    return property_amenities_of(property_id)


def has_amenities(amenity_ids: list[uuid.UUID]):
    """A condition on `Property`: it has every one of the amenities."""
    return [exists().where(property_amenities.c.property_id == Property.id,
                           property_amenities.c.amenity_id == amenity_id) for amenity_id in amenity_ids]


def amenities_in_use(agency_id: uuid.UUID) -> list[Amenity]:
    """The agency's amenities ticked for at least one active, not deleted property (the website's filter)."""
    used = (select(property_amenities.c.amenity_id)
            .join(Property, Property.id == property_amenities.c.property_id)
            .where(Property.agency_id == agency_id, Property.is_active.is_(True), Property.deleted_at.is_(None)))
    return list(db.session.scalars(scoped(Amenity, agency_id).where(Amenity.id.in_(used))
                                   .order_by(Amenity.position, Amenity.name)))
