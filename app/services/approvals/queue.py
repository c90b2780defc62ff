"""An approver's queue: the submitted expenses this Seat may decide, oldest first, filtered by
person, category and base amount (query-string names: `person`, `category`, `min`, `max`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app import money
from app.errors import Invalid
from app.input import parse_id
from app.queries import approvals as figures
from app.queries import prepared
from app.seat import Seat
from app.services.approvals.policy import DEFAULTS, approval_limit, limit_rule, policy_of
from tenants.permissions import Perm
from tenants.roles import Role

FILTERS = ("person", "category", "min", "max")


@dataclass(frozen=True)
class QueueFilters:
    person: int | None = None
    category: int | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    # The amounts as typed ("50", not "50.0000"): the queue comes back with what was asked for.
    typed: Mapping[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, str]:
        values = {"person": self.person, "category": self.category}
        for name, amount in (("min", self.low), ("max", self.high)):
            values[name] = None if amount is None else self.typed.get(name) or money.as_json(amount)
        return {k: str(v) for k, v in values.items() if v is not None}


def parse_filters(args: Mapping[str, Any]) -> QueueFilters:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    typed: dict[str, str] = {}
    for name, target in (("person", "person"), ("category", "category")):
        if args.get(name) not in (None, ""):
            try:
                values[target] = parse_id(args[name])
            except ValueError:
                errors[name] = "Choose one from the list."
    for name, target in (("min", "low"), ("max", "high")):
        if args.get(name) not in (None, ""):
            try:
                values[target] = money.parse_amount(args[name])
                typed[name] = str(args[name]).strip()
            except money.MoneyError as error:
                errors[name] = str(error)
    if errors:
        raise Invalid(errors)
    return QueueFilters(**values, typed=typed)


def mine(seat: Seat, filters: QueueFilters) -> list[dict[str, Any]]:
    """What `seat` may approve now (nothing for a role that approves nothing)."""
    if not seat.can(Perm.APPROVE):
        return []
    policy = policy_of(seat.org_id)
    return figures.queue(
        seat.org_id,
        seat.user_id,
        is_owner=seat.role is Role.OWNER,
        limit=approval_limit(seat, policy),
        two_step=policy.two_step_amount,
        person=filters.person,
        category=filters.category,
        low=filters.low,
        high=filters.high,
    )


def count_query(seat: Seat) -> tuple[str, dict[str, Any]] | None:
    """For the navbar: the statement (a scalar subquery) that counts what waits for this
    Seat's decision, with its parameters; None for a role that approves nothing. The
    statement reads the org's policy itself (no separate read); the navbar runs it with its
    other figures (`app.services.orgs.navigation`)."""
    if not seat.can(Perm.APPROVE):
        return None
    params = figures.queue_count_params(
        seat.org_id,
        seat.user_id,
        is_owner=seat.role is Role.OWNER,
        limit_rule=limit_rule(seat),
        default_limit=DEFAULTS.accountant_limit,
        default_two_step=DEFAULTS.two_step_amount,
    )
    return figures.QUEUE_COUNT_SQL, params


def count(seat: Seat) -> int:
    """How many expenses wait for this Seat's decision (what `mine` lists, unfiltered)."""
    found = count_query(seat)
    if found is None:
        return 0
    sql, params = found
    return prepared.read(sql, params).scalar_one()
