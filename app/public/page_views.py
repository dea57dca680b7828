"""Website pages in the back office (admins and managers): the page list and the page editor.

The editor changes the page's settings, adds, edits, reorders and removes its
blocks with htmx (every action also works as a plain form post) and shows a
preview rendered with the public templates in a frame.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping

from flask import Blueprint, g, render_template, request, url_for

from app.core.errors import DomainError, ValidationFailed
from app.db import commit_with_retry
from app.public import pages
from app.public.models import WebsitePage
from app.public.pages_api import PAGE_EDITORS
from app.public.schemas import (
    BLOCK_TYPES, ContactBlock, HeroBlock, ImageBlock, PageIn, PropertyListBlock, TextBlock,
)
from app.public.site_pages import page_context
from app.web.auth import current_agency_id, protect_pages, require_role
from app.web.forms import field_errors, form_status, form_values, validated
from app.web.htmx import go_to, hx_response, is_htmx, render_page_or_partial, toast
from app.web.pages import CONTENT_SECURITY_POLICY
from app.web.panels import load

bp = protect_pages(Blueprint("pages", __name__, url_prefix="/website/pages"))
# HX-Trigger event after a page changed: the preview frame reloads.
PAGE_CHANGED = "page-changed"
BLOCK_MODELS = {"hero": HeroBlock, "text": TextBlock, "property_list": PropertyListBlock, "image": ImageBlock,
                "contact": ContactBlock}
BLOCK_LABELS = {"hero": "Hero (title, text, photo)", "text": "Text", "property_list": "Property list",
                "image": "Image", "contact": "Contact"}
SETTINGS_FIELDS = ("title", "slug", "seo_description", "nav_position")
MOVES = {"up": -1, "down": 1}


@bp.before_request
@require_role(*PAGE_EDITORS)
def editors_only():
    """Every page of the editor is for admins and managers."""


# --- the page list and the page settings ------------------------------------------------------

@bp.get("")
def page_list():
    agency_id = current_agency_id()
    loaded = load("the website pages", lambda: pages.list_pages(agency_id))
    return render_page_or_partial("public/pages.html", "public/partials/_page_table.html", status=loaded.status,
                                  pages=loaded.value or [], error=loaded.error)


def settings_fields(form: Mapping) -> dict:
    values = form_values(PageIn, form, SETTINGS_FIELDS)
    values["is_published"] = form.get("is_published") == "on"
    return validated(PageIn, values).model_dump(exclude={"blocks"})


def new_page_form(values, errors: dict, status: int = 200):
    return render_template("public/partials/_page_dialog.html", values=values, errors=errors), status


@bp.get("/new")
def new_page():
    return new_page_form({}, {})


@bp.post("")
def create_page():
    agency_id = current_agency_id()
    try:
        fields = settings_fields(request.form)
        page = commit_with_retry(lambda: pages.create_page(agency_id, **fields))
    except DomainError as exc:
        return new_page_form(request.form, field_errors(exc), status=form_status(exc))
    return go_to(url_for("pages.editor", page_id=page.id), trigger=toast(f"Page {page.title} created"))


def editor_context(page: WebsitePage, **parts) -> dict:
    return {"page": page, "blocks": pages.page_blocks(page), "blocks_version": pages.blocks_version(page),
            "block_labels": BLOCK_LABELS, "values": page, "errors": {}, "block_form": None, **parts}


@bp.get("/<uuid:page_id>")
def editor(page_id: uuid.UUID):
    return render_template("public/page_editor.html", **editor_context(pages.get_page(current_agency_id(), page_id)))


@bp.post("/<uuid:page_id>")
def update_settings(page_id: uuid.UUID):
    agency_id = current_agency_id()
    try:
        fields = settings_fields(request.form)
        page = commit_with_retry(lambda: pages.update_page(agency_id, page_id, **fields))
    except DomainError as exc:
        context = editor_context(pages.get_page(agency_id, page_id), values=request.form, errors=field_errors(exc))
        return render_editor_part("public/partials/_page_settings.html", context, form_status(exc))
    if not is_htmx():
        return go_to(url_for("pages.editor", page_id=page.id))
    return hx_response(render_template("public/partials/_page_settings.html", **editor_context(page)),
                       trigger={**toast("Page saved"), PAGE_CHANGED: True})


def render_editor_part(partial: str, context: dict, status: int = 200):
    """The part for htmx, else the whole editor (forms work without JavaScript)."""
    if not is_htmx():
        return render_template("public/page_editor.html", **context), status
    return render_template(partial, **context), status


@bp.get("/<uuid:page_id>/delete")
def delete_confirm(page_id: uuid.UUID):
    return render_template("public/partials/_confirm_page_delete.html",
                           page=pages.get_page(current_agency_id(), page_id))


@bp.post("/<uuid:page_id>/delete")
def delete_page(page_id: uuid.UUID):
    agency_id = current_agency_id()
    commit_with_retry(lambda: pages.delete_page(agency_id, page_id))
    return go_to(url_for("pages.page_list"), trigger=toast("Page deleted"))


# --- blocks -----------------------------------------------------------------------------------

def form_state(block_type: str, source: Mapping) -> dict:
    """A block's fields as the form shows them: paragraphs as text with blank lines between,
    chosen properties as id strings."""
    values = {name: source.get(name) for name in BLOCK_MODELS[block_type].model_fields}
    paragraphs = values.get("paragraphs")
    if isinstance(paragraphs, list):
        values["paragraphs"] = "\n\n".join(paragraphs)
    chosen = source.getlist("property_ids") if hasattr(source, "getlist") else source.get("property_ids") or []
    values["property_ids"] = [str(item) for item in chosen]
    return values


def submitted_block(block_type: str, form: Mapping):
    """The posted block form as a validated block (422 with field messages)."""
    model = BLOCK_MODELS[block_type]
    values = {"type": block_type}
    for name in model.model_fields:
        raw = (form.get(name) or "").strip()
        if name == "paragraphs":
            values[name] = [part.strip() for part in raw.replace("\r\n", "\n").split("\n\n") if part.strip()]
        elif name == "property_ids":
            values[name] = form.getlist(name)
        elif name != "type" and (raw or name not in ("photo", "email")):
            values[name] = raw
    return validated(model, values)


def block_errors(exc: DomainError) -> dict:
    """Field messages of a block form; the service names a block's field by its place in the page."""
    return {("property_ids" if name.endswith("_property_ids") else name): message
            for name, message in field_errors(exc).items()}


def block_form_context(page: WebsitePage, block_type: str, values: dict, errors: dict,
                       index: int | None = None) -> dict:
    form = {"type": block_type, "index": index, "values": values, "errors": errors,
            "properties": pages.choosable_properties(current_agency_id()) if block_type == "property_list" else []}
    return editor_context(page, block_form=form)


def render_block_form(page: WebsitePage, block_type: str, values: dict, errors: dict, index: int | None = None):
    context = block_form_context(page, block_type, values, errors, index)
    return render_editor_part("public/partials/_page_block_form.html", context)


def block_type_of(raw: str | None) -> str:
    if raw not in BLOCK_TYPES:
        raise ValidationFailed.field("type", "Choose a block type")
    return raw


@bp.get("/<uuid:page_id>/blocks/new")
def new_block(page_id: uuid.UUID):
    page = pages.get_page(current_agency_id(), page_id)
    try:
        block_type = block_type_of(request.args.get("type"))
    except DomainError as exc:
        context = editor_context(page, errors=field_errors(exc))
        return render_editor_part("public/partials/_page_block_form.html", context, form_status(exc))
    return render_block_form(page, block_type, form_state(block_type, {}), {})


@bp.get("/<uuid:page_id>/blocks/<int:index>/edit")
def edit_block(page_id: uuid.UUID, index: int):
    page = pages.get_page(current_agency_id(), page_id)
    blocks = pages.page_blocks(page)
    pages.block_at(blocks, index)
    block = blocks[index]
    return render_block_form(page, block.type, form_state(block.type, block.model_dump()), {}, index)


def save_block(page_id: uuid.UUID, index: int | None):
    """Add (index None) or replace a block from the posted form; the list and preview follow."""
    agency_id = current_agency_id()
    page = pages.get_page(agency_id, page_id)  # another agency's page is a 404 before any input check
    block_type = block_type_of(request.form.get("type"))
    try:
        block = submitted_block(block_type, request.form)
        if index is None:
            page = commit_with_retry(lambda: pages.add_block(agency_id, page_id, block))
        else:
            page = commit_with_retry(lambda: pages.replace_block(agency_id, page_id, index, block, seen_version()))
    except pages.BlocksChanged as exc:
        return blocks_conflict(page_id, exc)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        context = block_form_context(page, block_type, form_state(block_type, request.form), block_errors(exc), index)
        context["blocks_version"] = seen_version() or context["blocks_version"]  # still the list the user saw
        return render_editor_part("public/partials/_page_block_form.html", context, form_status(exc))
    return blocks_changed(page, "Block added" if index is None else "Block saved")


def seen_version() -> str | None:
    """The block list's fingerprint the editor showed (forms without it are not checked)."""
    return request.form.get("blocks_version") or None


def blocks_conflict(page_id: uuid.UUID, exc: pages.BlocksChanged):
    """409: the editor back to "Add a block" saying why, the block list (out of band) and the preview as they
    are now."""
    context = editor_context(pages.get_page(current_agency_id(), page_id), editor_error=exc.detail)
    if not is_htmx():
        return render_template("public/page_editor.html", **context), 409
    return hx_response(render_template("public/partials/_page_blocks_oob.html", **context), status=409,
                       trigger={PAGE_CHANGED: True},  # the preview reloads too
                       headers={"HX-Retarget": "#block-editor", "HX-Reswap": "outerHTML"})  # move/remove swap none


def change_blocks(page_id: uuid.UUID, change, message: str):
    """Commit a move or removal; the editor follows, or shows the list as it is now (409)."""
    try:
        page = commit_with_retry(change)
    except pages.BlocksChanged as exc:
        return blocks_conflict(page_id, exc)
    return blocks_changed(page, message)


def blocks_changed(page: WebsitePage, message: str):
    """After a block change: the emptied block editor and the block list (out of band), preview reloads."""
    if not is_htmx():
        return go_to(url_for("pages.editor", page_id=page.id))
    body = render_template("public/partials/_page_blocks_oob.html", **editor_context(page))
    return hx_response(body, trigger={**toast(message), PAGE_CHANGED: True})


@bp.post("/<uuid:page_id>/blocks")
def add_block(page_id: uuid.UUID):
    return save_block(page_id, None)


@bp.post("/<uuid:page_id>/blocks/<int:index>")
def update_block(page_id: uuid.UUID, index: int):
    return save_block(page_id, index)


@bp.post("/<uuid:page_id>/blocks/<int:index>/move")
def move_block(page_id: uuid.UUID, index: int):
    agency_id, offset = current_agency_id(), MOVES.get(request.form.get("direction"), 0)
    return change_blocks(page_id, lambda: pages.move_block(agency_id, page_id, index, offset, seen_version()),
                         "Block moved")


@bp.post("/<uuid:page_id>/blocks/<int:index>/delete")
def remove_block(page_id: uuid.UUID, index: int):
    agency_id = current_agency_id()
    return change_blocks(page_id, lambda: pages.remove_block(agency_id, page_id, index, seen_version()),
                         "Block removed")


# --- preview ----------------------------------------------------------------------------------

@bp.get("/<uuid:page_id>/preview")
def preview(page_id: uuid.UUID):
    """The page as the website shows it (also unpublished), framed by the editor; never cached."""
    page = pages.get_page(current_agency_id(), page_id)
    g.site_agency = pages.preview_site(current_agency_id())
    try:
        body = render_template("public/page.html", preview=True, **page_context(page))
    finally:
        g.pop("site_agency")  # the back office's headers apply, not the public site's cache rules
    return body, 200, {"Cache-Control": "no-store", "X-Frame-Options": "SAMEORIGIN",
                       "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'",
                                                                                  "frame-ancestors 'self'")}
