"""Saved views: a user's named filters on the transactions page (their own, per org)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import SavedView
from app.plain_text import one_line_problem
from app.queries import filters as filter_rules


def views(org_id: int, user_id: int) -> list[SavedView]:
    return list(
        db.session.scalars(
            db.select(SavedView)
            .where(SavedView.org_id == org_id, SavedView.user_id == user_id)
            .order_by(db.func.lower(SavedView.name))
        )
    )


def get(org_id: int, user_id: int, view_id: int) -> SavedView:
    view = db.session.get(SavedView, (org_id, view_id))
    if view is None or view.user_id != user_id:
        raise NotFound("No such saved view.")
    return view


def save(org_id: int, user_id: int, name: Any, query: str) -> SavedView:
    """Save (or overwrite by name) the canonical form of a filter query string."""
    if not isinstance(name, str) or not name.strip():
        raise Invalid({"name": "Give the view a name."})
    name = name.strip()
    if len(name) > 60:
        raise Invalid({"name": "Keep the name to 60 characters or fewer."})
    if problem := one_line_problem(name, "name"):
        raise Invalid({"name": problem})
    args = dict(parse_qsl(query or "", keep_blank_values=False))
    filters = filter_rules.parse(args, date.today())
    canonical = filters.query_string()
    existing = db.session.scalar(
        db.select(SavedView).where(
            SavedView.org_id == org_id,
            SavedView.user_id == user_id,
            db.func.lower(SavedView.name) == name.lower(),
        )
    )
    if existing is None:
        existing = SavedView(org_id=org_id, user_id=user_id, name=name, query=canonical)
        db.session.add(existing)
    else:
        existing.query = canonical
    db.session.commit()
    return existing


def delete(org_id: int, user_id: int, view_id: int) -> None:
    db.session.delete(get(org_id, user_id, view_id))
    db.session.commit()
