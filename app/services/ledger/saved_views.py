"""Saved views: a user's named filters on the transactions page (their own, per org)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from app.errors import Invalid, NotFound
from app.extensions import db
from app.input import parse_text
from app.models import SavedView
from app.queries import filters as filter_rules
from app.queries.org_day import today_of
from app.seat import Seat


def views(seat: Seat) -> list[SavedView]:
    """The views the person in the seat saved (each person's own, in every role)."""
    org_id, user_id = seat.org_id, seat.user_id
    return list(
        db.session.scalars(
            db.select(SavedView)
            .where(SavedView.org_id == org_id, SavedView.user_id == user_id)
            .order_by(db.func.lower(SavedView.name))
        )
    )


def get(seat: Seat, view_id: int) -> SavedView:
    view = db.session.get(SavedView, (seat.org_id, view_id))
    if view is None or view.user_id != seat.user_id:
        raise NotFound("No such saved view.")
    return view


def save(seat: Seat, name: Any, query: str, *, replace: bool = False) -> SavedView:
    """Save the filters of a query string under a name, as the user typed them.

    A name already in use (in any letter case) is refused unless `replace` says to overwrite.
    """
    org_id, user_id = seat.org_id, seat.user_id
    try:
        name = parse_text(name, 60, "name", required=True, one_line=True)
    except ValueError as exc:
        raise Invalid({"name": str(exc)}) from None
    args = dict(parse_qsl(query or "", keep_blank_values=False))
    filters = filter_rules.parse(args, today_of(org_id))
    canonical = filters.query_string()
    existing = db.session.scalar(
        db.select(SavedView).where(
            SavedView.org_id == org_id,
            SavedView.user_id == user_id,
            db.func.lower(SavedView.name) == name.lower(),
        )
    )
    if existing is not None and not replace:
        raise Invalid(
            {
                "name": f"You already have a view named “{existing.name}”: choose another name, "
                "or tick “Replace” to overwrite it."
            }
        )
    if existing is None:
        existing = SavedView(org_id=org_id, user_id=user_id, name=name, query=canonical)
        db.session.add(existing)
    else:
        existing.query = canonical
    db.session.commit()
    return existing


def delete(seat: Seat, view_id: int) -> None:
    db.session.delete(get(seat, view_id))
    db.session.commit()
