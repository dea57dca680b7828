"""The website's content pages (`public_pages`): `/seiten/<slug>` and the start page.

Only published pages of the host's agency are shown; any other slug is a plain
404 (never cached). `/` shows the published `home` page, else the property list.
"""
from __future__ import annotations

from flask import Blueprint, render_template

from app.core.errors import NotFound
from app.public import pages, service
from app.public.hosts import plain_not_found, site_agency, site_today
from app.public.models import WebsitePage
from app.public.schemas import PropertyListBlock
from app.public.views import properties

bp = Blueprint("public_pages", __name__)


@bp.errorhandler(NotFound)
def not_found(exc):
    return plain_not_found()


def listed_for(block: PropertyListBlock) -> list[service.Listed]:
    """The properties a property-list block shows: all active ones, or the chosen ones that are active."""
    chosen = frozenset(block.property_ids) if block.filter == "chosen" else None
    return service.list_properties(site_agency().id, service.Search(property_ids=chosen), site_today())


def page_context(page: WebsitePage) -> dict:
    blocks = pages.page_blocks(page)
    listings = {index: listed_for(block) for index, block in enumerate(blocks)
                if isinstance(block, PropertyListBlock)}
    return {"page": page, "blocks": blocks, "listings": listings, "search": service.Search()}


def render_page(page: WebsitePage):
    return render_template("public/page.html", **page_context(page))


@bp.get("/seiten/<slug>")
def page(slug: str):
    return render_page(pages.published_page(site_agency().id, slug[:100]))


def home():
    """The start page (`/`, dispatched by `hosts.route_by_host`): the `home` page when published."""
    start = pages.home_page(site_agency().id)
    return render_page(start) if start else properties()
