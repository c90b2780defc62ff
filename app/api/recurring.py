"""/api/v1/orgs/<slug>/recurring: recurring rules, their next occurrences; CRUD."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from app import money
from app.api import schemas
from app.api.auth import api_requires, org_today
from app.api.resource import Resource
from app.models import RecurringRule
from app.services.recurring import recurring as service
from tenants.permissions import Perm

bp = Blueprint("api_recurring", __name__, url_prefix="/api/v1/orgs/<slug>")
NEXT = 5


def rule_json(rule: RecurringRule) -> dict[str, Any]:
    out = service.snapshot(rule)
    upcoming = service.schedule(rule).dates(rule.posted_through)
    out.update(
        id=rule.id,
        paused=rule.paused_at is not None,
        posted_through=rule.posted_through.isoformat() if rule.posted_through else None,
        skipped=[d.isoformat() for d in rule.skipped],
        next_occurrences=[d.isoformat() for _, d in zip(range(NEXT), upcoming, strict=False)],
        amount=money.as_json(rule.amount),
    )
    return out


rules = Resource(bp, "/recurring", "rule_id", service.get, rule_json, Perm.MANAGE_LEDGER)
rules.index(service.rules)
rules.create(service.create)
rules.show()  # a member: their own


@bp.patch("/recurring/<int:rule_id>")
@api_requires(Perm.MANAGE_LEDGER)
def update(rule_id: int) -> dict[str, Any]:
    service.get(g.seat, rule_id)  # an unknown id is a 404 before the body is read
    data = schemas.body()
    paused = data.pop("paused", None)
    rule = service.update(g.seat, rule_id, data) if data else None
    if paused is True:
        rule = service.pause(g.seat, rule_id)
    elif paused is False:
        rule = service.resume(g.seat, rule_id, org_today())
    return rule_json(rule or service.get(g.seat, rule_id))


rules.delete(service.delete)
