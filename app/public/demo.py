"""Demo website pages for `flask seed-demo`: a start page and "Über uns".

Idempotent: a page is created only while the agency has none with its address, so edits made in
the page editor survive restarts.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.extensions import db
from app.public import pages
from app.public.models import WebsitePage
from app.public.schemas import block_adapter

CONTACT = {"type": "contact", "heading": "Kontakt", "address": "Demo Ferienwohnungen\nStrandstraße 1\n25980 Sylt",
           "email": "urlaub@demo-ferienwohnungen.example", "phone": "+49 4651 123456"}
DEMO_PAGES = (
    {"slug": "home", "title": "Willkommen", "is_published": True,
     "seo_description": "Ferienhäuser und Ferienwohnungen an Nord- und Ostsee, direkt beim Gastgeber gebucht.",
     "blocks": [
         {"type": "hero", "title": "Urlaub am Meer", "text": "Ferienhäuser und Ferienwohnungen an Nord- und Ostsee – "
                                                              "direkt beim Gastgeber gebucht."},
         {"type": "text", "heading": "Ankommen und durchatmen",
          "paragraphs": ["Ob Strandkate auf Sylt oder Ferienhaus mit Seeblick: Unsere Unterkünfte sind liebevoll "
                         "eingerichtet und werden von uns persönlich betreut.",
                         "Wählen Sie Ihre Reisedaten, sehen Sie sofort, was frei ist, und fragen Sie unverbindlich an."]},
         {"type": "property_list", "heading": "Unsere Unterkünfte", "filter": "all"},
         CONTACT]},
    {"slug": "ueber-uns", "title": "Über uns", "is_published": True, "nav_position": 1,
     "seo_description": "Wer hinter Demo Ferienwohnungen steht.",
     "blocks": [
         {"type": "text", "heading": "Gastgeber aus Leidenschaft",
          "paragraphs": ["Seit über zwanzig Jahren vermieten wir Ferienwohnungen an der Küste.",
                         "Wir kennen jede Unterkunft selbst und helfen gern bei der Wahl – rufen Sie uns an."]},
         CONTACT]},
)


def seed_pages(agency_id: uuid.UUID) -> int:
    """Create the demo pages that are missing; return how many. Flushes only."""
    existing = set(db.session.scalars(select(WebsitePage.slug).where(WebsitePage.agency_id == agency_id)))
    created = 0
    for fields in DEMO_PAGES:
        if fields["slug"] in existing:
            continue
        blocks = [block_adapter.validate_python(block) for block in fields["blocks"]]
        pages.create_page(agency_id, **{**fields, "blocks": blocks})
        created += 1
    return created
