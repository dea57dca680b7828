"""Website pages service: the only code that writes `website_pages` (agency admins and managers).

A page's `blocks` is always a JSON list of typed blocks (`schemas.Block`); a
property list may name only properties of the page's own agency. Functions take
the agency id first, flush but never commit, and raise DomainErrors (404
NotFound, 409 Conflict, 422 ValidationFailed).
"""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Agency
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.tenancy import get_owned, scoped
from app.extensions import db
from app.inventory.models import Property
from app.public.hosts import SiteAgency, remembered
from app.public.models import WebsitePage
from app.public.schemas import MAX_BLOCKS, Block, PropertyListBlock, block_adapter

HOME_SLUG = "home"
PAGE_NOT_FOUND = "Page not found"
SLUG_TAKEN = "Another page of this website already has this address"
NAVIGATION_CACHE = "public_navigation"
PAGE_FIELDS = frozenset({"slug", "title", "blocks", "seo_description", "is_published", "nav_position"})

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavItem:
    slug: str
    title: str


def list_pages(agency_id: uuid.UUID) -> list[WebsitePage]:
    """The agency's pages: navigation order first, then the others by title."""
    query = scoped(WebsitePage, agency_id).order_by(WebsitePage.nav_position.asc().nulls_last(), WebsitePage.title,
                                                    WebsitePage.id)
    return list(db.session.scalars(query))


def get_page(agency_id: uuid.UUID, page_id: uuid.UUID, for_update: bool = False) -> WebsitePage:
    return get_owned(WebsitePage, agency_id, page_id, PAGE_NOT_FOUND, for_update=for_update)


def unknown_properties(agency_id: uuid.UUID, wanted: set[uuid.UUID]) -> set[uuid.UUID]:
    if not wanted:
        return set()
    known = db.session.scalars(select(Property.id).where(Property.agency_id == agency_id, Property.id.in_(wanted),
                                                         Property.deleted_at.is_(None)))
    return wanted - set(known)


def stored_blocks(agency_id: uuid.UUID, blocks: Sequence[Block]) -> list[dict]:
    """The blocks as JSON for the column; 422 when there are too many or a property list names
    a property the agency does not have (another agency's ids are reported like unknown ones)."""
    if len(blocks) > MAX_BLOCKS:
        raise ValidationFailed.field("blocks", f"A page holds at most {MAX_BLOCKS} blocks")
    for index, block in enumerate(blocks):
        if isinstance(block, PropertyListBlock) and unknown_properties(agency_id, set(block.property_ids)):
            raise ValidationFailed([{"loc": ["body", "blocks", index, "property_ids"],
                                     "msg": "Choose only properties of this agency", "type": "value_error"}])
    return [block.model_dump(mode="json") for block in blocks]


def check_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - PAGE_FIELDS)
    if unknown:
        raise ValidationFailed.field(unknown[0], "Unknown page field")


def saved(page: WebsitePage) -> WebsitePage:
    """Flush the page; a slug another page of the agency has is a 409."""
    try:
        with db.session.begin_nested():
            db.session.add(page)
    except IntegrityError:
        raise Conflict(SLUG_TAKEN) from None
    forget_navigation()
    return page


def create_page(agency_id: uuid.UUID, **fields) -> WebsitePage:
    """A new page (unpublished unless asked). Raises ValidationFailed, Conflict."""
    check_fields(fields)
    blocks = stored_blocks(agency_id, fields.pop("blocks", ()))
    return saved(WebsitePage(id=uuid.uuid4(), agency_id=agency_id, blocks=blocks, **fields))


def update_page(agency_id: uuid.UUID, page_id: uuid.UUID, **changes) -> WebsitePage:
    """Change the given fields; `blocks` replaces the whole list. Raises NotFound, ValidationFailed, Conflict."""
    check_fields(changes)
    page = get_page(agency_id, page_id, for_update=True)
    if "blocks" in changes:
        changes["blocks"] = stored_blocks(agency_id, changes["blocks"])
    for name, value in changes.items():
        setattr(page, name, value)
    return saved(page)


def delete_page(agency_id: uuid.UUID, page_id: uuid.UUID) -> None:
    db.session.delete(get_page(agency_id, page_id, for_update=True))
    db.session.flush()
    forget_navigation()


# --- the editor's block operations (each locks the page and rewrites its list) --------------

def page_blocks(page: WebsitePage) -> list[Block]:
    """The page's blocks as models; a stored block that is no longer valid is left out (and logged)."""
    blocks = []
    for index, raw in enumerate(page.blocks or []):
        try:
            blocks.append(block_adapter.validate_python(raw))
        except ValidationError as exc:
            log.warning("Page %s: block %s skipped, not valid: %s", page.id, index, exc.errors()[0]["msg"])
    return blocks


def block_at(blocks: list, index: int) -> None:
    if not 0 <= index < len(blocks):
        raise NotFound("Block not found")


class BlocksChanged(Conflict):
    """The editor addresses blocks by position; a list another editor changed since it was shown is refused."""

    def __init__(self):
        super().__init__("Another editor changed this page's blocks meanwhile: the list shows them as they are "
                         "now. Open the block again to make your change.")


def blocks_version(page: WebsitePage) -> str:
    """A fingerprint of the stored block list: the editor sends back the one it showed."""
    stored = json.dumps(page.blocks or [], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(stored.encode()).hexdigest()[:16]


def edit_blocks(agency_id: uuid.UUID, page_id: uuid.UUID, change, seen_version: str | None = None) -> WebsitePage:
    """Apply `change(blocks)` (in place) to the page's blocks under a row lock and store the result. With
    `seen_version` (the editor's), a list that changed since raises BlocksChanged (409)."""
    page = get_page(agency_id, page_id, for_update=True)
    if seen_version is not None and seen_version != blocks_version(page):
        raise BlocksChanged()
    blocks = page_blocks(page)
    change(blocks)
    page.blocks = stored_blocks(agency_id, blocks)
    db.session.flush()
    return page


def add_block(agency_id: uuid.UUID, page_id: uuid.UUID, block: Block) -> WebsitePage:
    return edit_blocks(agency_id, page_id, lambda blocks: blocks.append(block))


def replace_block(agency_id: uuid.UUID, page_id: uuid.UUID, index: int, block: Block,
                  seen_version: str | None = None) -> WebsitePage:
    def replace(blocks):
        block_at(blocks, index)
        blocks[index] = block
    return edit_blocks(agency_id, page_id, replace, seen_version)


def move_block(agency_id: uuid.UUID, page_id: uuid.UUID, index: int, offset: int,
               seen_version: str | None = None) -> WebsitePage:
    """Swap the block with its neighbour `offset` (-1 up, +1 down) places away; at an end nothing moves."""
    def move(blocks):
        block_at(blocks, index)
        target = index + offset
        if 0 <= target < len(blocks):
            blocks[index], blocks[target] = blocks[target], blocks[index]
    return edit_blocks(agency_id, page_id, move, seen_version)


def remove_block(agency_id: uuid.UUID, page_id: uuid.UUID, index: int, seen_version: str | None = None) -> WebsitePage:
    def remove(blocks):
        block_at(blocks, index)
        del blocks[index]
    return edit_blocks(agency_id, page_id, remove, seen_version)


def choosable_properties(agency_id: uuid.UUID) -> list[Property]:
    """What a property list may name: the agency's properties (inactive ones are listed, not shown)."""
    return list(db.session.scalars(scoped(Property, agency_id).order_by(Property.name, Property.id)))


def preview_site(agency_id: uuid.UUID) -> SiteAgency:
    """The agency as its website sees it, for the editor's preview."""
    agency = db.session.get(Agency, agency_id)
    return SiteAgency(agency.id, agency.name, agency.slug, agency.timezone, ())


# --- the public site's reads ----------------------------------------------------------------

def published_page(agency_id: uuid.UUID, slug: str) -> WebsitePage:
    page = db.session.scalar(scoped(WebsitePage, agency_id).where(WebsitePage.slug == slug,
                                                                  WebsitePage.is_published.is_(True)))
    if page is None:
        raise NotFound(PAGE_NOT_FOUND)
    return page


def home_page(agency_id: uuid.UUID) -> WebsitePage | None:
    try:
        return published_page(agency_id, HOME_SLUG)
    except NotFound:
        return None


def site_navigation(agency_id: uuid.UUID) -> list[NavItem]:
    """`navigation`, remembered per process like the host (every public page shows it); a page
    change here forgets it at once, other processes follow within PUBLIC_HOST_CACHE_SECONDS."""
    return remembered(NAVIGATION_CACHE, agency_id, lambda: navigation(agency_id))


def forget_navigation() -> None:
    current_app.extensions.setdefault(NAVIGATION_CACHE, {}).clear()


def navigation(agency_id: uuid.UUID) -> list[NavItem]:
    """Published pages with a navigation position, in its order (the start page is the brand link)."""
    query = (select(WebsitePage.slug, WebsitePage.title)
             .where(WebsitePage.agency_id == agency_id, WebsitePage.is_published.is_(True),
                    WebsitePage.nav_position.is_not(None), WebsitePage.slug != HOME_SLUG)
             .order_by(WebsitePage.nav_position, WebsitePage.title))
    return [NavItem(slug, title) for slug, title in db.session.execute(query)]
