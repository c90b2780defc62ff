"""Loading one of the org's rows for a use case: by a URL's id (else 404), or by the id a form
or a body names (else a field error).

The key is `(org_id, id)`, so another org's row is never found (RLS hides it as well): a
stranger's id looks the same as one that never existed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from app.errors import NotFound
from app.extensions import db
from app.input import parse_id

T = TypeVar("T")


def get(model: type[T], org_id: int, row_id: int, missing: str) -> T:
    """The org's row `row_id` of `model`, else NotFound(`missing`)."""
    found = db.session.get(model, (org_id, row_id))
    if found is None:
        raise NotFound(missing)
    return found


def listed(model: Any, org_id: int, *where: Any, order_by: Any) -> list[Any]:
    """The org's rows of `model` that match `where`, in `order_by` order."""
    query = db.select(model).where(model.org_id == org_id, *where).order_by(order_by)
    return list(db.session.scalars(query))


def chosen(
    model: type[T], org_id: int, value: Any, errors: dict[str, str], field: str, *messages: str
) -> T | None:
    """The org's row that a form or body names by id in `field`; None with a message filed
    under `field` when `value` is not an id (the first message) or names none (the last)."""
    try:
        row_id = parse_id(value)
    except ValueError:
        errors[field] = messages[0]
        return None
    row = db.session.get(model, (org_id, row_id))
    if row is None:
        errors[field] = messages[-1]
        return None
    return row
