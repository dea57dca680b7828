"""Visitor-tax rules ("Kurtaxe") of an agency; a property points to at most one."""
from __future__ import annotations

import uuid

from app.core.errors import ValidationFailed
from app.core.tenancy import get_owned, scoped
from app.extensions import db
from app.pricing.models import VisitorTaxRule

TAX_RULE_NOT_FOUND = "Visitor tax rule not found"
TAX_RULE_FIELDS = frozenset({"name", "municipality", "amount_per_adult_night", "child_bands", "max_nights",
                             "season_start", "season_end", "collected_on_site", "valid_from", "valid_to"})


def get_tax_rule(agency_id: uuid.UUID, rule_id: uuid.UUID, for_update: bool = False) -> VisitorTaxRule:
    return get_owned(VisitorTaxRule, agency_id, rule_id, TAX_RULE_NOT_FOUND, for_update=for_update)


def list_tax_rules(agency_id: uuid.UUID) -> list[VisitorTaxRule]:
    return list(db.session.scalars(scoped(VisitorTaxRule, agency_id).order_by(VisitorTaxRule.name,
                                                                              VisitorTaxRule.id)))


def check_tax_rule(rule: VisitorTaxRule) -> None:
    """Cross-field rules; single fields are validated by the schemas."""
    if not (rule.name or "").strip():
        raise ValidationFailed.field("name", "Name must not be empty")
    if (rule.season_start is None) != (rule.season_end is None):
        raise ValidationFailed.field("season_end", "Give both season_start and season_end, or neither (all year)")
    if rule.valid_from is None:
        raise ValidationFailed.field("valid_from", "valid_from is required: the first night the rule applies to")
    if rule.valid_to is not None and rule.valid_to < rule.valid_from:
        raise ValidationFailed.field("valid_to", "valid_to must not be before valid_from")


def create_tax_rule(agency_id: uuid.UUID, **fields) -> VisitorTaxRule:
    """Add a rule. Raises ValidationFailed."""
    unknown = sorted(set(fields) - TAX_RULE_FIELDS)
    if unknown:
        raise ValidationFailed.field(unknown[0], "Unknown visitor tax field")
    rule = VisitorTaxRule(id=uuid.uuid4(), agency_id=agency_id, **fields)
    check_tax_rule(rule)
    db.session.add(rule)
    db.session.flush()
    return rule


def update_tax_rule(agency_id: uuid.UUID, rule_id: uuid.UUID, **changes) -> VisitorTaxRule:
    """Change the given fields. Raises NotFound, ValidationFailed."""
    unknown = sorted(set(changes) - TAX_RULE_FIELDS)
    if unknown:
        raise ValidationFailed.field(unknown[0], "Unknown visitor tax field")
    rule = get_tax_rule(agency_id, rule_id, for_update=True)
    for name, value in changes.items():
        setattr(rule, name, value)
    check_tax_rule(rule)
    db.session.flush()
    return rule


def delete_tax_rule(agency_id: uuid.UUID, rule_id: uuid.UUID) -> None:
    """Delete a rule; its properties charge no visitor tax until they get another one."""
    db.session.delete(get_tax_rule(agency_id, rule_id))
    db.session.flush()
