"""Website pages JSON API (`pages_api`, /api/v1/website-pages): the agency's content pages.

Reads: every role; writes: admin and manager. `blocks` must be a list of typed
blocks (a non-list or an unknown block type is 422); a slug another page of the
agency has is 409.
"""
from __future__ import annotations

import uuid

from app.db import commit_with_retry
from app.public import pages
from app.public.schemas import PageIn, PageList, PageOut, PagePatch
from app.web.api import ApiResponse, Detail, api_blueprint, spec
from app.web.auth import current_agency_id, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

bp = api_blueprint("pages_api", __name__)
PAGE_EDITORS = ("admin", "manager")
TAGS = ["website"]
WRITE_ERRORS = {"HTTP_403": Detail, "HTTP_404": Detail, "HTTP_409": Detail}


def page_fields(model, exclude_unset: bool) -> dict:
    """The validated body as service keyword arguments (blocks stay typed models)."""
    names = model.model_fields_set if exclude_unset else type(model).model_fields
    return {name: getattr(model, name) for name in names}


@bp.get("/website-pages/")
@spec.validate(resp=ApiResponse(HTTP_200=PageList), tags=TAGS)
def list_pages():
    """The agency's pages: those in the navigation by position, then the others by title."""
    return PageList(items=[PageOut.model_validate(page) for page in pages.list_pages(current_agency_id())])


@bp.post("/website-pages/")
@require_role(*PAGE_EDITORS)
@idempotent
@spec.validate(json=PageIn, headers=IdempotencyHeaders, resp=ApiResponse(HTTP_201=PageOut, **WRITE_ERRORS), tags=TAGS)
def create_page(json: PageIn):
    """Add a page (admin, manager). Blocks: hero, text, property_list, image, contact (see the schema);
    photos are /media/... paths of this system; a property list names only the agency's properties."""
    agency_id, fields = current_agency_id(), page_fields(json, exclude_unset=False)
    page = commit_with_retry(lambda: pages.create_page(agency_id, **fields))
    return PageOut.model_validate(page), 201


@bp.get("/website-pages/<uuid:page_id>")
@spec.validate(resp=ApiResponse(HTTP_200=PageOut, HTTP_404=Detail), tags=TAGS)
def get_page(page_id: uuid.UUID):
    """One page with its blocks."""
    return PageOut.model_validate(pages.get_page(current_agency_id(), page_id))


@bp.patch("/website-pages/<uuid:page_id>")
@require_role(*PAGE_EDITORS)
@spec.validate(json=PagePatch, resp=ApiResponse(HTTP_200=PageOut, **WRITE_ERRORS), tags=TAGS)
def update_page(page_id: uuid.UUID, json: PagePatch):
    """Change a page (admin, manager); `blocks` replaces the whole list; nav_position null hides it from
    the navigation."""
    agency_id, changes = current_agency_id(), page_fields(json, exclude_unset=True)
    page = commit_with_retry(lambda: pages.update_page(agency_id, page_id, **changes))
    return PageOut.model_validate(page)


@bp.delete("/website-pages/<uuid:page_id>")
@require_role(*PAGE_EDITORS)
@spec.validate(resp=ApiResponse("HTTP_204", HTTP_403=Detail, HTTP_404=Detail), tags=TAGS)
def delete_page(page_id: uuid.UUID):
    """Delete a page (admin, manager): its address answers 404 at once."""
    agency_id = current_agency_id()
    commit_with_retry(lambda: pages.delete_page(agency_id, page_id))
    return "", 204
