"""Each org's approval policy: who needs approval, who may approve what, when a receipt is due.

An org without a saved policy has `DEFAULTS`. Amounts are in the org's base currency and
compared with a transaction's `base_amount`. The approval limit of a Seat is not stored on the
Seat: `approval_limit(seat, policy)` computes it from the role and this policy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from app import money
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.input import parse_flag, parse_id, parse_int, unknown_fields
from app.models import ApprovalPolicy, Category
from app.seat import Seat
from app.services.platform import audit
from tenants.permissions import Perm
from tenants.roles import Role

AMOUNT_FIELDS = ("approval_amount", "accountant_limit", "two_step_amount", "receipt_amount")
FIELDS = ("members_need_approval", *AMOUNT_FIELDS, "always_category_ids", "digest_days")


@dataclass(frozen=True)
class Policy:
    members_need_approval: bool = True
    approval_amount: Decimal | None = None  # at or above: approval whoever records it
    always_category_ids: tuple[int, ...] = field(default_factory=tuple)
    accountant_limit: Decimal | None = Decimal("1000.0000")  # None: no limit
    two_step_amount: Decimal | None = None  # above: two approvers, the second an owner
    receipt_amount: Decimal | None = Decimal("75.0000")  # 0: always, None: never
    digest_days: int = 3

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        for name in AMOUNT_FIELDS:
            values[name] = money.as_json(values[name])
        values["always_category_ids"] = list(self.always_category_ids)
        return values


DEFAULTS = Policy()


def _row(org_id: int) -> ApprovalPolicy | None:
    return db.session.scalar(db.select(ApprovalPolicy).where(ApprovalPolicy.org_id == org_id))


def policy_of(org_id: int) -> Policy:
    row = _row(org_id)
    if row is None:
        return DEFAULTS
    return Policy(
        members_need_approval=row.members_need_approval,
        approval_amount=row.approval_amount,
        always_category_ids=tuple(row.always_category_ids or ()),
        accountant_limit=row.accountant_limit,
        two_step_amount=row.two_step_amount,
        receipt_amount=row.receipt_amount,
        digest_days=row.digest_days,
    )


def limit_rule(seat: Seat) -> str:
    """Where `seat`'s approval limit comes from: "zero" (a role that approves nothing), "none"
    (owners: no limit) or "policy" (the policy's `accountant_limit`)."""
    if not seat.can(Perm.APPROVE):
        return "zero"
    if seat.role is Role.OWNER:
        return "none"
    return "policy"


def approval_limit(seat: Seat, policy: Policy) -> Decimal | None:
    """Up to what base amount `seat` may approve alone: None is no limit (owners), and a role
    without the approve permission gets 0 (`limit_rule`)."""
    rule = limit_rule(seat)
    if rule == "zero":
        return Decimal(0)
    return None if rule == "none" else policy.accountant_limit


def _amount(value: Any, label: str, currency: str, locale: str | None) -> Decimal | None:
    """Empty is "none"; 0 is allowed (a receipt for every expense)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return money.parse_amount(value, locale, currency)
    except money.MoneyError as error:
        if isinstance(value, str | int) and str(value).strip().strip("0.,") == "":
            return Decimal("0.0000")
        raise ValueError(f"{label}: {error}") from None


def _categories(org_id: int, value: Any) -> tuple[int, ...]:
    if value in (None, ""):
        return ()
    values = value if isinstance(value, list | tuple) else [value]
    try:
        ids = sorted({parse_id(v) for v in values})
    except ValueError:
        raise ValueError("Choose categories from the list.") from None
    found = set(
        db.session.scalars(
            db.select(Category.id).where(
                Category.org_id == org_id, Category.id.in_(ids), Category.kind == "expense"
            )
        )
    )
    if missing := [i for i in ids if i not in found]:
        raise ValueError(f"No such expense category: {missing[0]}.")
    return tuple(ids)


def clean(seat: Seat, raw: Any, current: Policy, locale: str | None = None) -> Policy:
    """The policy `raw` describes; fields it does not name keep their `current` value."""
    if not isinstance(raw, dict):
        raise Invalid({"body": "Send the policy as an object."})
    errors = unknown_fields(raw, FIELDS)
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name not in raw:
            continue
        try:
            if name == "members_need_approval":
                values[name] = parse_flag(raw[name])
            elif name == "always_category_ids":
                values[name] = _categories(seat.org_id, raw[name])
            elif name == "digest_days":
                values[name] = parse_int(raw[name], 1, 90, "Give a whole number of days, 1-90.")
            else:
                values[name] = _amount(raw[name], "Amount", seat.base_currency, locale)
        except ValueError as error:
            errors[name] = str(error).removeprefix("Amount: ")
    policy = replace(current, **values)
    if errors:
        raise Invalid(errors)
    return policy


def update(seat: Seat, raw: Any, locale: str | None = None) -> Policy:
    """Owners change the policy (org settings); audited, one commit."""
    if not seat.can(Perm.MANAGE_ORG):
        raise Forbidden("Only owners change the approval policy.")
    before = policy_of(seat.org_id)
    after = clean(seat, raw, before, locale)
    row = _row(seat.org_id) or ApprovalPolicy(org_id=seat.org_id)
    for name in FIELDS:
        value = getattr(after, name)
        setattr(row, name, list(value) if name == "always_category_ids" else value)
    row.updated_by = seat.user_id
    db.session.add(row)
    db.session.flush()
    audit.record(
        seat.org_id,
        seat.user_id,
        "approval_policy.updated",
        row,
        before=before.as_json(),
        after=after.as_json(),
    )
    db.session.commit()
    return after
