"""What the transactions list offers beside its rows, in one statement: the category tree and
the payment methods (its pickers), the person's saved views and the members ("Recorded by"),
and the name and colour of every category and method a row may name (archived ones too), so
the page's rows come without joining the names onto them (the join was about half the cost
of the page's statement).

Each was its own statement (four round trips, and ORM entities for rows that only give a
name and an id). The rules are those of the services that list them for every other page:
`app.services.ledger.categories.categories` / `tree` and `payment_methods` (not archived;
categories by kind then name, methods by id), `app.services.ledger.saved_views.views` (the
person's own, by lower-cased name) and `app.services.orgs.members.members` (by membership id,
shown by `User.display_name`: the name, else the email). Row-level security applies as it
does to those: the statement runs in the request's tenant transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.queries import prepared
from app.seat import Seat

LOOKUPS_SQL = """
SELECT
  (SELECT coalesce(json_agg(json_build_array(c.id, c.kind, c.name, c.parent_id, c.color,
                                              c.archived_at IS NOT NULL)
                            ORDER BY c.kind, c.name), '[]')
   FROM categories c WHERE c.org_id = :org) AS categories,
  (SELECT coalesce(json_agg(json_build_array(p.id, p.name, p.archived_at IS NOT NULL)
                            ORDER BY p.id), '[]')
   FROM payment_methods p WHERE p.org_id = :org) AS methods,
  (SELECT coalesce(json_agg(json_build_array(v.id, v.name) ORDER BY lower(v.name)), '[]')
   FROM saved_views v WHERE v.org_id = :org AND v.user_id = :user) AS views,
  (SELECT coalesce(json_agg(json_build_array(m.user_id, coalesce(nullif(u.name, ''), u.email))
                            ORDER BY m.id), '[]')
   FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = :org) AS people
"""


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a picker: what the list's template reads of a category, method or view."""

    id: int
    name: str
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Shown:
    """How a row shows its category: the name and the colour of its dot."""

    name: str
    color: str


@dataclass(frozen=True)
class ListLookups:
    category_tree: list[tuple[Choice, list[Choice]]]
    methods: list[Choice]
    views: list[Choice]
    people: dict[int, str]
    categories_by_id: dict[int, Shown]  # every category of the org, archived too
    method_names: dict[int, str]  # every payment method of the org, archived too


def list_lookups(seat: Seat) -> ListLookups:
    categories, methods, views, people = prepared.read(
        LOOKUPS_SQL, {"org": seat.org_id, "user": seat.user_id}
    ).one()
    children: dict[int, list[Choice]] = {}
    parents: list[Choice] = []
    by_id: dict[int, Shown] = {}
    for category_id, kind, name, parent_id, color, archived in categories:
        by_id[category_id] = Shown(name, color)
        if archived:
            continue  # named on its rows, not offered in the pickers
        choice = Choice(category_id, name, kind)
        if parent_id is None:
            parents.append(choice)
        else:
            children.setdefault(parent_id, []).append(choice)
    return ListLookups(
        category_tree=[(parent, children.get(parent.id, [])) for parent in parents],
        methods=[Choice(i, name) for i, name, archived in methods if not archived],
        views=[Choice(i, name) for i, name in views],
        people={user_id: shown for user_id, shown in people},
        categories_by_id=by_id,
        method_names={i: name for i, name, _archived in methods},
    )
