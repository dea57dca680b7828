"""Demo listing content for `flask seed-demo`: amenities, website texts and facts, and drawn photos.

Idempotent: amenities are found by name; a demo property gets texts only while it has no
description, amenities only while it has none and photos only while it has none, so edits survive
restarts. The photos are drawn with Pillow (no downloads) and stored through the upload path.
"""
from __future__ import annotations

import io
import uuid
from decimal import Decimal

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from app.core.tenancy import scoped
from app.extensions import db
from app.inventory import service as inventory
from app.inventory.models import Property
from app.listing import service
from app.listing.models import Amenity, PropertyPhoto

AMENITIES = (
    ("WLAN", "wifi", "basics"), ("Parkplatz", "square-parking", "basics"), ("Küche", "cooking-pot", "kitchen"),
    ("Waschmaschine", "washing-machine", "basics"), ("Haustiere erlaubt", "paw-print", "family"),
    ("Meerblick", "waves", "outdoor"), ("Bergblick", "mountain", "outdoor"), ("Terrasse", "sun", "outdoor"),
    ("Kamin", "flame", "leisure"), ("Kinderbett", "baby", "family"), ("Fahrradstellplatz", "bike", "leisure"),
    ("Nichtraucher", "cigarette-off", "basics"),
)
# property -> (amenity names, texts and facts, photo palette: sky, land, house)
CONTENT = {
    "Altstadt Apartment": (
        ("WLAN", "Küche", "Waschmaschine", "Nichtraucher"),
        {"short_description": "Stilvolles Apartment mitten in der Heidelberger Altstadt.",
         "description": "Zwei Minuten zur Hauptstraße, fünf zum Schloss.\n\nDas Apartment liegt im zweiten Stock "
                        "eines sanierten Altbaus mit hohen Decken und Dielenboden.",
         "area_sqm": 48, "bathrooms": 1, "beds": 1, "latitude": Decimal("49.410600"),
         "longitude": Decimal("8.710600")},
        ((180, 200, 230), (150, 130, 110), (200, 90, 70))),
    "Berghütte Alpenglühen": (
        ("WLAN", "Parkplatz", "Küche", "Bergblick", "Kamin", "Haustiere erlaubt", "Kinderbett"),
        {"short_description": "Gemütliche Hütte mit Kamin und Blick auf die Zugspitze.",
         "description": "Holz, Kamin und Ruhe.\n\nIm Winter führt die Loipe direkt am Haus vorbei, im Sommer "
                        "beginnen die Wanderwege vor der Tür.",
         "area_sqm": 85, "bathrooms": 1, "beds": 4, "latitude": Decimal("47.492100"),
         "longitude": Decimal("11.095500")},
        ((150, 190, 235), (70, 120, 70), (120, 80, 50))),
    "Ferienhaus Seeblick": (
        ("WLAN", "Parkplatz", "Küche", "Waschmaschine", "Terrasse", "Kinderbett", "Fahrradstellplatz"),
        {"short_description": "Familienhaus mit Garten und Blick auf den Bodensee.",
         "description": "Drei Schlafzimmer, ein großer Garten und der See in Sichtweite.\n\n"
                        "Fahrräder können im Schuppen abgestellt werden.",
         "area_sqm": 120, "bathrooms": 2, "beds": 6, "latitude": Decimal("47.660000"),
         "longitude": Decimal("9.175000")},
        ((170, 210, 240), (60, 130, 170), (230, 230, 220))),
    "Loft am Hafen": (
        ("WLAN", "Küche", "Waschmaschine", "Nichtraucher"),
        {"short_description": "Industrie-Loft mit Blick auf die Elbe.",
         "description": "Backstein, Stahl und große Fenster.\n\nDie Landungsbrücken sind zu Fuß erreichbar.",
         "area_sqm": 70, "bathrooms": 1, "beds": 2, "latitude": Decimal("53.545600"),
         "longitude": Decimal("9.966000")},
        ((190, 200, 210), (90, 100, 120), (160, 70, 60))),
    "Strandkate Sylt": (
        ("WLAN", "Parkplatz", "Küche", "Meerblick", "Terrasse", "Haustiere erlaubt"),
        {"short_description": "Reetgedeckte Kate hinter den Dünen von Westerland.",
         "description": "Hundert Meter bis zum Strand.\n\nDie Terrasse liegt windgeschützt nach Süden.",
         "area_sqm": 75, "bathrooms": 1, "beds": 4, "latitude": Decimal("54.906000"),
         "longitude": Decimal("8.311000"), "house_rules": "Bitte keine Partys. Hunde bitte nicht aufs Sofa.",
         "cancellation_policy": "Kostenlose Stornierung bis 30 Tage vor Anreise, danach 50 %.",
         "checkin_instructions": "Schlüsselbox links neben der Tür, Code 4711."},
        ((160, 205, 240), (225, 205, 150), (200, 180, 120))),
}
PHOTOS_PER_PROPERTY = 3
PHOTO_SIZE = (1800, 1200)


def draw_photo(palette: tuple, variant: int) -> io.BytesIO:
    """A simple landscape with a house: sky, ground, sun, walls and a roof, varied per photo."""
    sky, land, house = palette
    image = Image.new("RGB", PHOTO_SIZE, sky)
    draw = ImageDraw.Draw(image)
    width, height = PHOTO_SIZE
    horizon = int(height * (0.55 + 0.08 * variant))
    draw.rectangle((0, horizon, width, height), fill=land)
    draw.ellipse((width - 360 - 200 * variant, 120, width - 200 - 200 * variant, 280), fill=(250, 215, 90))
    left = 300 + 350 * variant
    draw.rectangle((left, horizon - 300, left + 500, horizon + 60), fill=house)
    draw.polygon(((left - 60, horizon - 300), (left + 250, horizon - 520), (left + 560, horizon - 300)),
                 fill=(110, 60, 40))
    draw.rectangle((left + 210, horizon - 120, left + 290, horizon + 60), fill=(80, 50, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    buffer.seek(0)
    return buffer


def seed_amenities(agency_id: uuid.UUID) -> dict[str, uuid.UUID]:
    existing = {amenity.name: amenity.id for amenity in db.session.scalars(scoped(Amenity, agency_id))}
    for name, icon, category in AMENITIES:
        if name not in existing:
            existing[name] = service.create_amenity(agency_id, name=name, icon=icon, category=category).id
    return existing


def seed_property(agency_id: uuid.UUID, prop: Property, amenity_ids: dict[str, uuid.UUID]) -> None:
    names, fields, palette = CONTENT[prop.name]
    if prop.description is None:
        inventory.update_property(agency_id, prop.id, **fields)
    if not service.property_amenities_of(prop.id):
        service.set_property_amenities(agency_id, prop.id, [amenity_ids[name] for name in names if name in amenity_ids])
    if not service.photos_of(prop.id):
        for variant in range(PHOTOS_PER_PROPERTY):
            service.add_photo(agency_id, prop.id, draw_photo(palette, variant), caption=f"{prop.name} {variant + 1}")


def seed_listing(agency_id: uuid.UUID) -> str:
    """Add what is missing of the demo listing content; return a one-line summary. Flushes only."""
    amenity_ids = seed_amenities(agency_id)
    for prop in db.session.scalars(scoped(Property, agency_id).where(Property.name.in_(CONTENT))):
        seed_property(agency_id, prop, amenity_ids)
    db.session.flush()
    photos = db.session.scalar(select(func.count()).select_from(PropertyPhoto).join(
        Property, Property.id == PropertyPhoto.property_id).where(Property.agency_id == agency_id))
    return f"Demo listing: {len(amenity_ids)} amenities, {photos} photos"
