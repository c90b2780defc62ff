"""Checking and repairing transaction summaries, org by org (`outlay summaries ...`).

Summaries are written only by the database (triggers and a SECURITY DEFINER rebuild,
migration 0011s); this is the operator's view of them. Each org is read under its own tenant
context, so RLS scopes every statement to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text

from app.extensions import db
from app.queries import summaries as figures
from tenants.context import tenant_context


def orgs(slugs: Iterable[str] = ()) -> list[tuple[int, str]]:
    """(id, slug) of the orgs named, or of every org; an unknown slug is an error."""
    wanted = list(slugs)
    found = [
        (row.id, row.slug)
        for row in db.session.execute(text("SELECT id, slug FROM organisations ORDER BY id"))
        if not wanted or row.slug in wanted
    ]
    db.session.rollback()
    if missing := set(wanted) - {slug for _, slug in found}:
        raise LookupError(f"No such organisation: {', '.join(sorted(missing))}")
    return found


def check(org_id: int) -> list[figures.Difference]:
    with tenant_context(org_id):
        found = figures.differences(org_id)
        db.session.rollback()
    return found


def rebuild(org_id: int) -> int:
    with tenant_context(org_id):
        written = figures.rebuild(org_id)
        db.session.commit()
    return written
