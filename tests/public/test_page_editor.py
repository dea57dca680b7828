"""The back-office page editor: create a page, settings, blocks added, edited, moved and removed, preview."""
from __future__ import annotations

import re

import pytest

from tests.factories import hx

PAGES = "/website/pages"


def block_types(app, page_id) -> list[str]:
    from app.extensions import db
    from app.public.models import WebsitePage

    with app.app_context():
        return [block["type"] for block in db.session.get(WebsitePage, page_id).blocks]


@pytest.fixture
def editor(logged_in):
    """A manager's client and a new page of their agency (created through the dialog's form)."""
    client = logged_in("manager")
    response = client.post(PAGES, data={"title": "Über uns", "slug": "ueber-uns", "nav_position": "1"}, headers=hx())
    assert response.status_code == 200, response.get_data(as_text=True)
    location = response.headers["HX-Redirect"]
    client.page_id = re.search(r"/website/pages/([0-9a-f-]{36})$", location).group(1)
    client.page_url = location
    return client


def test_list_and_create_with_inline_errors(editor):
    body = editor.get(PAGES).get_data(as_text=True)
    assert "Über uns" in body and "/seiten/ueber-uns" in body and "Draft" in body
    duplicate = editor.post(PAGES, data={"title": "Nochmal", "slug": "ueber-uns"}, headers=hx())
    assert duplicate.status_code == 409
    assert "already has this address" in duplicate.get_data(as_text=True)
    bad = editor.post(PAGES, data={"title": "", "slug": "Über Uns!"}, headers=hx())
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'id="page-title-error"' in text and 'id="page-slug-error"' in text


def test_settings_save_and_publish(editor):
    response = editor.post(editor.page_url, headers=hx(), data={"title": "Wir", "slug": "wir", "is_published": "on",
                                                                "seo_description": "Das Team", "nav_position": ""})
    assert response.status_code == 200
    assert "page-changed" in response.headers["HX-Trigger"]
    listing = editor.get(PAGES).get_data(as_text=True)
    assert "/seiten/wir" in listing and "Published" in listing


def test_blocks_added_edited_moved_and_removed(app, editor, make_property):
    blocks = f"{editor.page_url}/blocks"
    form = editor.get(f"{blocks}/new?type=hero", headers=hx()).get_data(as_text=True)
    assert 'id="block-form"' in form and 'name="title"' in form
    added = editor.post(blocks, headers=hx(), data={"type": "hero", "title": "Willkommen", "photo": "/media/a.jpg"})
    assert added.status_code == 200 and 'hx-swap-oob="true"' in added.get_data(as_text=True)
    editor.post(blocks, headers=hx(), data={"type": "text", "paragraphs": "Erster Absatz.\r\n\r\nZweiter Absatz."})
    prop = make_property(agency=editor.user.agency, name="Haus Eins")
    editor.post(blocks, headers=hx(), data={"type": "property_list", "filter": "chosen", "property_ids": str(prop.id)})
    assert block_types(app, editor.page_id) == ["hero", "text", "property_list"]

    edit_form = editor.get(f"{blocks}/1/edit", headers=hx()).get_data(as_text=True)
    assert "Erster Absatz.\n\nZweiter Absatz." in edit_form
    editor.post(f"{blocks}/1", headers=hx(), data={"type": "text", "paragraphs": "Neu."})
    editor.post(f"{blocks}/2/move", headers=hx(), data={"direction": "up"})
    assert block_types(app, editor.page_id) == ["hero", "property_list", "text"]
    editor.post(f"{blocks}/0/move", headers=hx(), data={"direction": "up"})  # at the top: nothing moves
    assert block_types(app, editor.page_id) == ["hero", "property_list", "text"]
    editor.post(f"{blocks}/0/delete", headers=hx())
    assert block_types(app, editor.page_id) == ["property_list", "text"]
    assert editor.post(f"{blocks}/9/delete", headers=hx()).status_code == 404


def shown_version(html: str) -> str:
    return re.search(r'name="blocks_version" value="([0-9a-f]{16})"', html).group(1)


def test_a_block_list_changed_by_another_editor_is_refused_not_mixed_up(app, editor, logged_in):
    """Blocks are addressed by position: a move, removal or edit sent from a list that changed since is a 409
    that shows the list as it is now, and writes nothing."""
    blocks = f"{editor.page_url}/blocks"
    for title in ("Erster", "Zweiter"):
        editor.post(blocks, headers=hx(), data={"type": "hero", "title": title})
    seen = shown_version(editor.get(editor.page_url).get_data(as_text=True))
    edit_form = editor.get(f"{blocks}/1/edit", headers=hx()).get_data(as_text=True)
    assert shown_version(edit_form) == seen

    other = logged_in("admin", agency=editor.user.agency)  # another editor removes the first block
    assert other.post(f"{blocks}/0/delete", headers=hx(), data={"blocks_version": seen}).status_code == 200
    for attempt in (editor.post(f"{blocks}/0/delete", headers=hx(), data={"blocks_version": seen}),
                    editor.post(f"{blocks}/0/move", headers=hx(), data={"direction": "down", "blocks_version": seen}),
                    editor.post(f"{blocks}/1", headers=hx(), data={"type": "hero", "title": "Neu", "blocks_version": seen})):
        body = attempt.get_data(as_text=True)
        assert attempt.status_code == 409 and 'id="blocks-changed"' in body and 'hx-swap-oob="true"' in body
        assert attempt.headers["HX-Retarget"] == "#block-editor"  # also for move and remove, which swap nothing
        assert shown_version(body) != seen
    from app.extensions import db
    from app.public.models import WebsitePage

    with app.app_context():
        assert [block["title"] for block in db.session.get(WebsitePage, editor.page_id).blocks] == ["Zweiter"]
    current = shown_version(editor.get(editor.page_url).get_data(as_text=True))
    assert editor.post(f"{blocks}/0/delete", headers=hx(), data={"blocks_version": current}).status_code == 200
    assert block_types(app, editor.page_id) == []


def test_block_form_errors_stay_inline_and_write_nothing(app, editor, make_property, make_agency):
    blocks = f"{editor.page_url}/blocks"
    outside = editor.post(blocks, headers=hx(), data={"type": "image", "photo": "https://evil.example/x.jpg"})
    assert outside.status_code == 422
    assert 'id="block-photo-error"' in outside.get_data(as_text=True)
    foreign = make_property(agency=make_agency())
    response = editor.post(blocks, headers=hx(),
                           data={"type": "property_list", "filter": "chosen", "property_ids": str(foreign.id)})
    assert response.status_code == 422
    assert "Choose only properties of this agency" in response.get_data(as_text=True)
    assert editor.post(blocks, headers=hx(), data={"type": "marquee"}).status_code == 422
    assert block_types(app, editor.page_id) == []


def test_preview_uses_the_public_templates_and_is_never_cached(editor):
    editor.post(f"{editor.page_url}/blocks", headers=hx(), data={"type": "hero", "title": "<b>Vorschau</b>"})
    response = editor.get(f"{editor.page_url}/preview")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "public/site.css" in body and "&lt;b&gt;Vorschau&lt;/b&gt;" in body
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_without_javascript_forms_redirect_back_to_the_editor(editor):
    response = editor.post(f"{editor.page_url}/blocks", data={"type": "text", "paragraphs": "Ohne JS."})
    assert response.status_code == 303 and response.headers["Location"].endswith(editor.page_url)
    page = editor.get(editor.page_url).get_data(as_text=True)
    assert "Ohne JS." in page and 'id="page-preview"' in page


def test_only_admins_and_managers_edit_and_other_agencies_pages_are_404(editor, logged_in):
    staff = logged_in("staff", agency=editor.user.agency)
    assert staff.get(PAGES).status_code == 403
    assert staff.post(f"{editor.page_url}/blocks", data={"type": "text", "paragraphs": "x"}).status_code == 403
    stranger = logged_in("admin")
    assert stranger.get(editor.page_url).status_code == 404
    assert stranger.post(f"{editor.page_url}/blocks", data={"type": "text", "paragraphs": "x"}).status_code == 404


def test_delete_through_the_in_page_dialog(editor):
    dialog = editor.get(f"{editor.page_url}/delete", headers=hx()).get_data(as_text=True)
    assert "<dialog" in dialog and "Delete page" in dialog
    response = editor.post(f"{editor.page_url}/delete", headers=hx())
    assert response.headers["HX-Redirect"].endswith(PAGES)
    assert editor.get(editor.page_url).status_code == 404
