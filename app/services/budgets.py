"""Budgets: create, edit, delete; each validated field by field, audited, one commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import money
from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import Budget, Category
from app.models.budgets import DEFAULT_THRESHOLDS, PERIODS
from app.plain_text import one_line_problem
from app.services import audit
from app.services.transaction_input import parse_id

FIELDS = ("name", "category_id", "period", "amount", "rollover", "thresholds")
TRUE = {True, "1", "on", "true", "yes"}
FALSE = {False, None, "", "0", "off", "false", "no"}


def budgets(org_id: int) -> list[Budget]:
    return list(
        db.session.scalars(
            db.select(Budget).where(Budget.org_id == org_id).order_by(Budget.name, Budget.id)
        )
    )


def get(org_id: int, budget_id: int) -> Budget:
    found = db.session.get(Budget, (org_id, budget_id))
    if found is None:
        raise NotFound("No such budget.")
    return found


def snapshot(budget: Budget) -> dict[str, Any]:
    values = {name: getattr(budget, name) for name in FIELDS}
    values["amount"] = money.as_json(budget.amount)
    values["thresholds"] = list(budget.thresholds)
    return values


def _category(org_id: int, value: Any, errors: dict[str, str]) -> int | None:
    if value in ("", None):
        return None
    try:
        category_id = parse_id(value)
    except ValueError:
        errors["category_id"] = "Choose an expense category, or none for all spending."
        return None
    category = db.session.get(Category, (org_id, category_id))
    if category is None or category.kind != "expense" or category.archived_at is not None:
        errors["category_id"] = "No such expense category in this organisation."
        return None
    return category_id


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


def _clean(org_id: int, data: Mapping[str, Any], current: Budget | None) -> dict[str, Any]:
    """Every field checked, every problem named; a field left out keeps its current value."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    unknown = sorted(set(data) - set(FIELDS) - {"csrf_token", "submit"})
    if unknown:
        errors[unknown[0]] = f"Unknown field; budgets have {', '.join(FIELDS)}."
    if "category_id" in data or current is None:
        clean["category_id"] = _category(org_id, data.get("category_id"), errors)
    if "period" in data or current is None:
        period = data.get("period")
        if period not in PERIODS:
            errors["period"] = "Choose monthly or annual."
        clean["period"] = period
    if "amount" in data or current is None:
        try:
            clean["amount"] = money.parse_amount(data.get("amount"))
        except money.MoneyError as error:
            errors["amount"] = str(error)
    if "rollover" in data or current is None:
        rollover = data.get("rollover", False)
        if not isinstance(rollover, bool | str | None) or rollover not in TRUE | FALSE:
            errors["rollover"] = "Rollover is true or false."
        clean["rollover"] = isinstance(rollover, bool | str) and rollover in TRUE
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


def create(org_id: int, actor_id: int | None, data: Mapping[str, Any]) -> Budget:
    clean = _clean(org_id, data, None)
    budget = Budget(org_id=org_id, created_by=actor_id, **clean)
    db.session.add(budget)
    db.session.flush()
    audit.record(org_id, actor_id, "budget.created", budget, after=snapshot(budget))
    db.session.commit()
    return budget


def update(org_id: int, actor_id: int | None, budget_id: int, data: Mapping[str, Any]) -> Budget:
    budget = get(org_id, budget_id)
    before = snapshot(budget)
    for name, value in _clean(org_id, data, budget).items():
        setattr(budget, name, value)
    db.session.flush()
    audit.record(org_id, actor_id, "budget.updated", budget, before=before, after=snapshot(budget))
    db.session.commit()
    return budget


def delete(org_id: int, actor_id: int | None, budget_id: int) -> None:
    budget = get(org_id, budget_id)
    audit.record(org_id, actor_id, "budget.deleted", budget, before=snapshot(budget))
    db.session.delete(budget)
    db.session.commit()


def in_use(org_id: int, category_id: int) -> bool:
    """A category with a budget is archived, not deleted, when removed."""
    query = db.select(Budget.id).where(Budget.org_id == org_id, Budget.category_id == category_id)
    return db.session.scalar(query.limit(1)) is not None
