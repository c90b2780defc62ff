"""Budgets: create, edit, delete; each validated field by field, audited, one commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError

from app import money
from app.errors import Invalid
from app.extensions import db
from app.input import parse_flag, unknown_fields
from app.models import Budget, Category
from app.models.budgets import DEFAULT_THRESHOLDS, PERIODS
from app.plain_text import one_line_problem
from app.seat import Seat
from app.services.platform import audit, rows

FIELDS = ("name", "category_id", "period", "amount", "rollover", "thresholds")


def budgets(seat: Seat) -> list[Budget]:
    """Every budget of the org (a member's figures are narrowed, not the budgets themselves)."""
    query = db.select(Budget).where(Budget.org_id == seat.org_id)
    return list(db.session.scalars(query.order_by(Budget.name, Budget.id)))


def get(seat: Seat, budget_id: int) -> Budget:
    return rows.get(Budget, seat.org_id, budget_id, "No such budget.")


def snapshot(budget: Budget) -> dict[str, Any]:
    values = {name: getattr(budget, name) for name in FIELDS}
    values["amount"] = money.as_json(budget.amount)
    values["thresholds"] = list(budget.thresholds)
    return values


def _category(org_id: int, value: Any, errors: dict[str, str]) -> int | None:
    if value in ("", None):
        return None
    choose = "Choose an expense category, or none for all spending."
    unknown = "No such expense category in this organisation."
    category = rows.chosen(Category, org_id, value, errors, "category_id", choose, unknown)
    if category is None:
        return None
    if category.kind != "expense" or category.archived_at is not None:
        errors["category_id"] = unknown
        return None
    return category.id


def _thresholds(value: Any, errors: dict[str, str]) -> list[int]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        errors["thresholds"] = "Give one to five percentages, such as 80, 100."
        return []
    found: set[int] = set()
    for item in items:
        if isinstance(item, bool | float) or not isinstance(item, int | str):
            errors["thresholds"] = "Thresholds are whole percentages, such as 80, 100."
            return []
        try:
            number = int(str(item).strip().rstrip("%"))
        except ValueError:
            errors["thresholds"] = f"{str(item).strip()!r} is not a whole percentage."
            return []
        if not 1 <= number <= 200:
            errors["thresholds"] = "Each threshold is between 1 and 200 percent."
            return []
        found.add(number)
    if len(found) > 5:
        errors["thresholds"] = "Give at most five thresholds."
        return []
    return sorted(found)


def _clean(seat: Seat, data: Mapping[str, Any], current: Budget | None) -> dict[str, Any]:
    """Every field checked, every problem named; a field left out keeps its current value."""
    org_id = seat.org_id
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    errors.update(unknown_fields(data, FIELDS))
    if "category_id" in data or current is None:
        clean["category_id"] = _category(org_id, data.get("category_id"), errors)
    if "period" in data or current is None:
        period = data.get("period")
        if period not in PERIODS:
            errors["period"] = "Choose monthly or annual."
        clean["period"] = period
    if "amount" in data or current is None:
        try:
            clean["amount"] = money.parse_amount(data.get("amount"), currency=seat.base_currency)
        except money.MoneyError as error:
            errors["amount"] = str(error)
    if "rollover" in data or current is None:
        try:
            clean["rollover"] = parse_flag(data.get("rollover", False))
        except ValueError:
            errors["rollover"] = "Rollover is true or false."
    if "thresholds" in data or current is None:
        raw = data.get("thresholds")
        raw = DEFAULT_THRESHOLDS if raw in (None, "") else raw
        clean["thresholds"] = _thresholds(raw, errors)
    if "name" in data or current is None:
        name = data.get("name") or ""
        if not isinstance(name, str) or len(name.strip()) > 80:
            errors["name"] = "Keep the name to 80 characters or fewer."
        elif problem := one_line_problem(name, "name"):
            errors["name"] = problem
        else:
            clean["name"] = name.strip()
    if errors:
        raise Invalid(errors)
    if not clean.get("name", current.name if current else ""):
        clean["name"] = _default_name(
            org_id, clean.get("category_id", current and current.category_id)
        )
    return clean


def _default_name(org_id: int, category_id: int | None) -> str:
    if category_id is None:
        return "All spending"
    return db.session.get(Category, (org_id, category_id)).name


def _duplicate_message(org_id: int, category_id: int | None, period: str) -> str:
    what = _default_name(org_id, category_id) if category_id else "all spending"
    return (
        f"There is already a {period} budget for {what}; edit that one, or choose another "
        "category or period."
    )


def _refuse_duplicate(org_id: int, budget: Budget) -> None:
    """One budget per category (or all spending) and period; the unique index has the last
    word when two saves race."""
    same = db.select(Budget.id).where(
        Budget.org_id == org_id,
        Budget.period == budget.period,
        Budget.category_id.is_(None)
        if budget.category_id is None
        else Budget.category_id == budget.category_id,
    )
    if budget.id is not None:
        same = same.where(Budget.id != budget.id)
    with db.session.no_autoflush:
        message = _duplicate_message(org_id, budget.category_id, budget.period)
        taken = db.session.scalar(same.limit(1)) is not None
    if taken:
        db.session.rollback()  # the refused change must not be flushed by the next query
        raise Invalid({"category_id": message})
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        if "uq_budgets_category_period" not in str(exc.orig):
            raise
        raise Invalid({"category_id": message}) from None


def create(seat: Seat, data: Mapping[str, Any]) -> Budget:
    clean = _clean(seat, data, None)
    budget = Budget(org_id=seat.org_id, created_by=seat.user_id, **clean)
    db.session.add(budget)
    _refuse_duplicate(seat.org_id, budget)
    audit.record(seat.org_id, seat.user_id, "budget.created", budget, after=snapshot(budget))
    db.session.commit()
    return budget


def update(seat: Seat, budget_id: int, data: Mapping[str, Any]) -> Budget:
    budget = get(seat, budget_id)
    before = snapshot(budget)
    for name, value in _clean(seat, data, budget).items():
        setattr(budget, name, value)
    _refuse_duplicate(seat.org_id, budget)
    after = snapshot(budget)
    audit.record(seat.org_id, seat.user_id, "budget.updated", budget, before=before, after=after)
    db.session.commit()
    return budget


def delete(seat: Seat, budget_id: int) -> None:
    budget = get(seat, budget_id)
    audit.commit(seat, "budget.deleted", budget, before=snapshot(budget), delete=True)


def in_use(org_id: int, category_id: int) -> bool:
    """A category with a budget is archived, not deleted, when removed."""
    query = db.select(Budget.id).where(Budget.org_id == org_id, Budget.category_id == category_id)
    return db.session.scalar(query.limit(1)) is not None
