"""`flask seed-demo` gives the demo agency a start page and "Über uns", once however often it runs."""
from __future__ import annotations


def test_seed_demo_creates_the_pages_once_and_the_site_shows_them(app, client):
    from sqlalchemy import select

    from app.extensions import db
    from app.public.models import WebsitePage

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--password", "demo-password-1"])
    assert "Demo website: 2 new page(s)" in first.output, first.output
    assert "Demo website" not in runner.invoke(args=["seed-demo"]).output
    with app.app_context():
        home = db.session.scalar(select(WebsitePage).where(WebsitePage.slug == "home"))
        assert [block["type"] for block in home.blocks] == ["hero", "text", "property_list", "contact"]
    app.config["APP_ENV"] = "development"  # <agency-slug>.localhost resolves
    start = client.get("/", headers={"Host": "demo.localhost"}).get_data(as_text=True)
    assert "Urlaub am Meer" in start and "Strandkate Sylt" in start and "/seiten/ueber-uns" in start
    about = client.get("/seiten/ueber-uns", headers={"Host": "demo.localhost"})
    assert about.status_code == 200 and "Gastgeber aus Leidenschaft" in about.get_data(as_text=True)
