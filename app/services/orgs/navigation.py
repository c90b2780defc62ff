"""The navbar's figures on an org's pages, in one statement: the approvals waiting for this
person (with the org's approval policy read in the same statement), the bell's unread count
and the org switcher's organisations (each page paid five round trips for them).

The rules are those of `app.services.approvals.queue.count` (its statement, from
`count_query`), `app.services.notifications.notifications.unread_count` (the person's unread
notifications in this org) and `app.services.orgs.orgs.orgs_of` (the person's orgs by name
through `outlay_my_memberships()`, an org being deleted listed for its owners only); the
tenant settings are the request's, so `app.user_id` is the person in the seat.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.queries import prepared
from app.seat import Seat
from app.services.approvals import queue
from app.services.orgs.orgs import listed_for

# The switcher takes each membership's org by its key (LATERAL ... LIMIT 1): as a join, the
# planner hashed every org on the platform to find the person's few.
NAV_SQL = """
SELECT
  ({waiting}) AS waiting,
  (SELECT count(*) FROM notifications n
   WHERE n.org_id = :org AND n.user_id = :user AND n.read_at IS NULL) AS unread,
  (SELECT coalesce(json_agg(json_build_array(o.id, o.name, o.slug, m.role, o.deletion_due_at)
                            ORDER BY o.name), '[]')
   FROM outlay_my_memberships() m
   CROSS JOIN LATERAL (
     SELECT o.id, o.name, o.slug, o.deletion_due_at FROM organisations o
     WHERE o.id = m.org_id LIMIT 1
   ) AS o
  ) AS orgs
"""


@dataclass(frozen=True, slots=True)
class NavOrg:
    """What the switcher shows of an org (`orgs.display_names` reads the same fields)."""

    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class Navigation:
    waiting: int  # approvals waiting for this person's decision
    unread: int
    orgs: list[tuple[NavOrg, str]]


def navigation(seat: Seat) -> Navigation:
    waiting, params = "SELECT 0", {}
    if (found := queue.count_query(seat)) is not None:
        waiting, params = found
    # The queue's own parameters first: :org is the same org, and :user is added beside them.
    params = {**params, "org": seat.org_id, "user": seat.user_id}
    row = prepared.read(NAV_SQL.format(waiting=waiting), params).one()
    waiting_count, unread, orgs = row
    return Navigation(
        waiting=waiting_count,
        unread=unread,
        orgs=[
            (NavOrg(org_id, name, slug), role)
            for org_id, name, slug, role, due in orgs
            if listed_for(due, role)
        ],
    )
