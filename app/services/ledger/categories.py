"""Categories and payment methods: the org's vocabulary for transactions."""

from __future__ import annotations

import re
from typing import Any

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models import Category, PaymentMethod, Transaction
from app.models.ledger import KINDS
from app.plain_text import one_line_problem
from app.seat import Seat
from app.services.ledger.ledger_defaults import DEFAULT_CATEGORIES, DEFAULT_PAYMENT_METHODS
from app.services.platform import audit, rows

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ICON_RE = re.compile(r"^[a-z0-9-]{1,32}$")


# Distinct colours for new categories, so charts stay readable without picking one.
PALETTE = ("#0d6efd", "#6610f2", "#d63384", "#fd7e14", "#20c997", "#0dcaf0", "#ffc107", "#198754")


def suggest_color(seat: Seat) -> str:
    return _next_color(seat.org_id)


def _next_color(org_id: int) -> str:
    count = db.session.scalar(
        db.select(db.func.count()).select_from(Category).where(Category.org_id == org_id)
    )
    return PALETTE[(count or 0) % len(PALETTE)]


def seed_defaults(org_id: int) -> None:
    """The predefined categories and payment methods of a new org (caller commits)."""
    for kind, name, color, icon in DEFAULT_CATEGORIES:
        db.session.add(Category(org_id=org_id, kind=kind, name=name, color=color, icon=icon))
    for name in DEFAULT_PAYMENT_METHODS:
        db.session.add(PaymentMethod(org_id=org_id, name=name))


def categories(seat: Seat, *, include_archived: bool = False) -> list[Category]:
    query = db.select(Category).where(Category.org_id == seat.org_id)
    if not include_archived:
        query = query.where(Category.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Category.kind, Category.name)))


def tree(seat: Seat, *, include_archived: bool = False) -> list[tuple[Category, list[Category]]]:
    """Top-level categories each with its children, for pickers and the categories page."""
    found = categories(seat, include_archived=include_archived)
    children: dict[int, list[Category]] = {}
    for c in found:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c)
    return [(c, children.get(c.id, [])) for c in found if c.parent_id is None]


def get_category(seat: Seat, category_id: int) -> Category:
    return rows.get(Category, seat.org_id, category_id, "No such category.")


def _clean_category(org_id: int, data: dict[str, Any], current: Category | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    name = data.get("name", current.name if current else "")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = "Enter a name."
    elif len(name.strip()) > 60:
        errors["name"] = "Keep the name to 60 characters or fewer."
    elif problem := one_line_problem(name, "name"):
        errors["name"] = problem
    else:
        clean["name"] = name.strip()
    kind = data.get("kind", current.kind if current else "")
    if current is not None and kind != current.kind:
        errors["kind"] = "A category's kind cannot change; create a new category instead."
    elif kind not in KINDS:
        errors["kind"] = "Choose income or expense."
    else:
        clean["kind"] = kind
    color = data.get("color") or (current.color if current else _next_color(org_id))
    if not isinstance(color, str) or not COLOR_RE.match(color):
        errors["color"] = "Give a colour as #rrggbb."
    else:
        clean["color"] = color.lower()
    icon = data.get("icon") or (current.icon if current else "tag")
    if not isinstance(icon, str) or not ICON_RE.match(icon):
        errors["icon"] = "Give an icon name of letters, digits and dashes."
    else:
        clean["icon"] = icon
    parent = data.get("parent_id", current.parent_id if current else None)
    if parent in ("", None):
        clean["parent_id"] = None
    else:
        clean["parent_id"] = _parent(org_id, parent, kind, current, errors)
    if errors:
        raise Invalid(errors)
    return clean


def _parent(
    org_id: int, value: Any, kind: str, current: Category | None, errors: dict[str, str]
) -> int | None:
    choose = "Choose a parent category from the list."
    parent = rows.chosen(Category, org_id, value, errors, "parent_id", choose)
    if parent is None:
        return None
    if parent.archived_at is not None:
        errors["parent_id"] = choose
    elif parent.parent_id is not None:
        errors["parent_id"] = "Categories nest one level: choose a top-level parent."
    elif parent.kind != kind:
        errors["parent_id"] = "The parent must be of the same kind (income or expense)."
    elif current is not None and parent.id == current.id:
        errors["parent_id"] = "A category cannot be its own parent."
    elif current is not None and _has_children(org_id, current.id):
        errors["parent_id"] = "This category has children, so it must stay top-level."
    return parent.id


def _has_children(org_id: int, category_id: int) -> bool:
    query = db.select(Category.id).where(
        Category.org_id == org_id, Category.parent_id == category_id
    )
    return db.session.scalar(query.limit(1)) is not None


def _name_taken(org_id: int, clean: dict[str, Any], exclude: int | None) -> bool:
    query = db.select(Category.id).where(
        Category.org_id == org_id,
        Category.kind == clean["kind"],
        db.func.lower(Category.name) == clean["name"].lower(),
        Category.archived_at.is_(None),
        Category.parent_id.is_(None)
        if clean["parent_id"] is None
        else Category.parent_id == clean["parent_id"],
    )
    if exclude is not None:
        query = query.where(Category.id != exclude)
    return db.session.scalar(query.limit(1)) is not None


def create_category(seat: Seat, data: dict[str, Any]) -> Category:
    org_id, actor_id = seat.org_id, seat.user_id
    clean = _clean_category(org_id, data, None)
    if _name_taken(org_id, clean, None):
        raise Invalid({"name": f"There is already a category called {clean['name']}."})
    category = Category(org_id=org_id, **clean)
    db.session.add(category)
    db.session.flush()
    audit.record(org_id, actor_id, "category.created", category, after=clean)
    db.session.commit()
    return category


def update_category(seat: Seat, category_id: int, data: dict[str, Any]) -> Category:
    org_id, actor_id = seat.org_id, seat.user_id
    category = get_category(seat, category_id)
    clean = _clean_category(org_id, data, category)
    if _name_taken(org_id, clean, category.id):
        raise Invalid({"name": f"There is already a category called {clean['name']}."})
    before = {k: getattr(category, k) for k in clean}
    for key, value in clean.items():
        setattr(category, key, value)
    audit.record(org_id, actor_id, "category.updated", category, before=before, after=clean)
    db.session.commit()
    return category


def in_use(org_id: int, category_id: int) -> bool:
    """Transactions, budgets and recurring rules keep a category: archive it, never delete."""
    from app.models import RecurringRule
    from app.services.budgets import budgets

    query = db.select(Transaction.id).where(
        Transaction.org_id == org_id, Transaction.category_id == category_id
    )
    rules = db.select(RecurringRule.id).where(
        RecurringRule.org_id == org_id, RecurringRule.category_id == category_id
    )
    return (
        db.session.scalar(query.limit(1)) is not None
        or db.session.scalar(rules.limit(1)) is not None
        or budgets.in_use(org_id, category_id)
    )


def remove_category(seat: Seat, category_id: int) -> str:
    """Delete an unused category; archive one in use (its transactions keep it).

    Returns "deleted" or "archived".
    """
    org_id, actor_id = seat.org_id, seat.user_id
    category = get_category(seat, category_id)
    if _has_children(org_id, category.id):
        raise Conflict("Move or remove this category's children first.")
    if in_use(org_id, category.id):
        if category.archived_at is None:
            category.archived_at = clock.now()
            audit.record(org_id, actor_id, "category.archived", category)
        db.session.commit()
        return "archived"
    audit.record(org_id, actor_id, "category.deleted", category, before={"name": category.name})
    db.session.delete(category)
    db.session.commit()
    return "deleted"


def restore_category(seat: Seat, category_id: int) -> Category:
    org_id, actor_id = seat.org_id, seat.user_id
    category = get_category(seat, category_id)
    if category.archived_at is not None:
        clean = {"name": category.name, "kind": category.kind, "parent_id": category.parent_id}
        if _name_taken(org_id, clean, category.id):
            raise Conflict(f"Another active category is called {category.name}; rename it first.")
        category.archived_at = None
        audit.record(org_id, actor_id, "category.restored", category)
    db.session.commit()
    return category


def payment_methods(seat: Seat, *, include_archived: bool = False) -> list[PaymentMethod]:
    query = db.select(PaymentMethod).where(PaymentMethod.org_id == seat.org_id)
    if not include_archived:
        query = query.where(PaymentMethod.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(PaymentMethod.id)))


def create_payment_method(seat: Seat, name: Any) -> PaymentMethod:
    org_id, actor_id = seat.org_id, seat.user_id
    if not isinstance(name, str) or not name.strip():
        raise Invalid({"name": "Enter a name."})
    name = name.strip()
    if len(name) > 40:
        raise Invalid({"name": "Keep the name to 40 characters or fewer."})
    if problem := one_line_problem(name, "name"):
        raise Invalid({"name": problem})
    taken = db.session.scalar(
        db.select(PaymentMethod.id).where(
            PaymentMethod.org_id == org_id,
            db.func.lower(PaymentMethod.name) == name.lower(),
            PaymentMethod.archived_at.is_(None),
        )
    )
    if taken is not None:
        raise Invalid({"name": f"There is already a payment method called {name}."})
    method = PaymentMethod(org_id=org_id, name=name)
    db.session.add(method)
    db.session.flush()
    audit.record(org_id, actor_id, "payment_method.created", method, after={"name": name})
    db.session.commit()
    return method


def archive_payment_method(seat: Seat, method_id: int) -> None:
    org_id, actor_id = seat.org_id, seat.user_id
    method = db.session.get(PaymentMethod, (org_id, method_id))
    if method is None:
        raise NotFound("No such payment method.")
    if method.archived_at is None:
        method.archived_at = clock.now()
        audit.record(org_id, actor_id, "payment_method.archived", method)
    db.session.commit()
