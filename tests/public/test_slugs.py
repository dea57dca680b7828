"""Property slugs: from the name (umlauts spelled out), unique per agency, editable with checks."""
from __future__ import annotations


def test_slug_comes_from_the_name_and_stays_unique_per_agency(admin_api, make_property, make_agency):
    first = admin_api.post("/api/v1/properties/", json={"name": "Haus Möwe & Düne"}).get_json()
    second = admin_api.post("/api/v1/properties/", json={"name": "Haus Möwe & Düne"}).get_json()
    assert first["slug"] == "haus-moewe-duene" and second["slug"] == "haus-moewe-duene-2"
    other = make_property(agency=make_agency(), name="Haus Möwe & Düne")
    assert other.slug == "haus-moewe-duene"  # another agency may use the same address


def test_explicit_slug_is_checked(admin_api):
    url = admin_api.post("/api/v1/properties/", json={"name": "Seeblick"}).get_json()["id"]
    admin_api.post("/api/v1/properties/", json={"name": "Bergblick"})
    path = f"/api/v1/properties/{url}"
    assert admin_api.patch(path, json={"slug": "Bad Slug!"}).status_code == 422
    taken = admin_api.patch(path, json={"slug": "bergblick"})
    assert taken.status_code == 422 and taken.get_json()["detail"][0]["loc"][-1] == "slug"
    changed = admin_api.patch(path, json={"slug": "see-blick-2"})
    assert changed.status_code == 200 and changed.get_json()["slug"] == "see-blick-2"
    assert admin_api.patch(path, json={"name": "Seeblick Neu"}).get_json()["slug"] == "see-blick-2"


def test_two_properties_of_one_name_created_at_once_give_a_409_not_a_500(app, make_agency):
    """The slug pre-check cannot see an uncommitted twin; the unique constraint's answer is a conflict."""
    import threading

    import pytest

    from app.extensions import db
    from app.inventory import service
    from app.inventory.errors import SlugTaken
    from app.inventory.models import Property

    agency = make_agency()
    flushed, release = threading.Event(), threading.Event()

    def first() -> None:
        with app.app_context():
            service.create_property(agency.id, "Haus Düne")
            flushed.set()
            release.wait(10)
            db.session.commit()

    thread = threading.Thread(target=first)
    thread.start()
    assert flushed.wait(10)
    threading.Timer(0.5, release.set).start()  # the second insert waits for the first to commit
    with app.app_context():
        with pytest.raises(SlugTaken):
            service.create_property(agency.id, "Haus Düne")
        db.session.rollback()
        thread.join(10)
        slugs = db.session.scalars(db.select(Property.slug).where(Property.agency_id == agency.id)).all()
    assert slugs == ["haus-duene"]  # nothing of the second attempt was written
