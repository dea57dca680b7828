"""`flask seed-demo` prices the demo: two seasons, three extras, a Kurtaxe; once, however often it runs."""
from __future__ import annotations

from datetime import date, timedelta


def test_seed_demo_pricing_is_idempotent_and_prices_stays(app):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.inventory.models import Property
    from app.pricing import engine
    from app.pricing import service as pricing
    from app.pricing.models import ExtraService, RateSeason, VisitorTaxRule

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--password", "demo-password-1"])
    assert first.exit_code == 0, first.output
    assert "Demo pricing: 3 extra services, visitor tax 'Kurtaxe Westerland', 4 new season(s)" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "0 new season(s)" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateSeason)) == 4
        assert db.session.scalar(select(func.count()).select_from(VisitorTaxRule)) == 1
        units = set(db.session.scalars(select(ExtraService.billing_unit)))
        assert units == {"per_stay", "per_person", "per_unit_night"}
        prop = db.session.scalar(select(Property).where(Property.name == "Strandkate Sylt"))
        summer = db.session.scalar(select(RateSeason).where(RateSeason.property_id == prop.id,
                                                            RateSeason.name == "Summer"))
        saturday = summer.start_date + timedelta(days=(6 - summer.start_date.isoweekday()) % 7)
        quote = pricing.quote_property(prop, engine.StayRequest(saturday, saturday + timedelta(days=7), 2, (4,)))
        labels = [line.label for line in quote.lines]
        assert "Final cleaning" in labels and any(label.startswith("Kurtaxe Westerland") for label in labels)
        assert {night.source for night in quote.nights} == {"Summer"}
        assert summer.start_date > date.today() - timedelta(days=1)
