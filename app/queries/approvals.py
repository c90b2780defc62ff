"""Approval figures and lists: what awaits approval (shown beside figures, never inside them),
an approver's queue, a transaction's timeline, and what the org owes the people who paid.

The queue's rules mirror `app.services.approvals.rules.refusal`; the service hands in the
policy's numbers (`limit`, `two_step`), or, for the navbar's count, the seat's limit rule and
the default numbers, and the count reads the org's saved policy in its own statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from app.extensions import db
from app.queries.counted import COUNTED_SQL

QUEUE_LIMIT = 200

PENDING_SQL = """
SELECT count(*) AS count, coalesce(sum(t.base_amount), 0) AS total
FROM transactions t
WHERE t.org_id = :org AND t.approval_state = 'submitted' AND t.status = 'posted'{own}
"""


def pending_scope(own_user: int | None) -> str:
    """PENDING_SQL's `{own}`: a member counts only what they submitted."""
    return "" if own_user is None else " AND t.created_by = :own"


@dataclass(frozen=True)
class Pending:
    count: int
    total: Decimal


def pending(org_id: int, own_user: int | None = None) -> Pending:
    """Expenses awaiting approval (a member: their own), in the base currency."""
    row = db.session.execute(
        text(PENDING_SQL.format(own=pending_scope(own_user))), {"org": org_id, "own": own_user}
    )
    return Pending(**row.one()._asdict())


QUEUE_SQL = """
SELECT t.id, t.date, t.description, t.amount, t.currency, t.base_amount, t.submitted_at,
       t.created_by, t.first_approved_by, t.paid_personally, t.category_id,
       c.name AS category_name, coalesce(nullif(u.name, ''), u.email) AS person,
       (t.first_approved_by IS NOT NULL) AS second_step,
       (SELECT min(r.id) FROM receipts r
         WHERE r.org_id = t.org_id AND r.transaction_id = t.id) AS receipt_id
FROM transactions t
JOIN categories c ON c.org_id = t.org_id AND c.id = t.category_id
LEFT JOIN users u ON u.id = t.created_by{policy}
WHERE t.org_id = :org AND t.approval_state = 'submitted' AND t.status = 'posted'
  AND t.created_by IS DISTINCT FROM :me
  AND t.first_approved_by IS DISTINCT FROM :me
  AND CASE
        WHEN {two_step} IS NOT NULL AND t.base_amount > {two_step}
          THEN t.first_approved_by IS NULL OR CAST(:is_owner AS boolean)
        ELSE {limit} IS NULL OR t.base_amount <= {limit}
      END{where}
ORDER BY t.submitted_at NULLS FIRST, t.id
LIMIT :cap
"""
# The policy's numbers as parameters (the service read the policy)...
_GIVEN = {
    "policy": "",
    "two_step": "CAST(:two_step AS numeric)",
    "limit": "CAST(:limit AS numeric)",
}
# ...or read by the statement itself: the org's saved policy, else the defaults passed in
# (`Policy()`'s), and the limit by the seat's rule (`limit_rule`: zero, none or the policy's).
_READ = {
    "policy": """
CROSS JOIN (
  SELECT CASE WHEN p.org_id IS NULL THEN CAST(:default_two_step AS numeric)
              ELSE p.two_step_amount END AS two_step,
         CASE CAST(:limit_rule AS text)
              WHEN 'zero' THEN 0
              WHEN 'none' THEN NULL
              ELSE CASE WHEN p.org_id IS NULL THEN CAST(:default_limit AS numeric)
                        ELSE p.accountant_limit END
         END AS approval_limit
  FROM (SELECT 1) AS one LEFT JOIN approval_policies p ON p.org_id = :org
) AS policy""",
    "two_step": "policy.two_step",
    "limit": "policy.approval_limit",
}


def _queue_sql(where: str = "", numbers: dict[str, str] = _GIVEN) -> str:
    return QUEUE_SQL.format(where=where, **numbers)


# The navbar's count: the rows `queue` would list (at most QUEUE_LIMIT), counted in the
# database; a scalar subquery, so it can share a statement with the navbar's other figures.
# It reads the policy itself, so the navbar costs no separate policy read.
_COUNTED_QUEUE = """
SELECT count(*) FROM ({queue}) AS waiting
"""
QUEUE_COUNT_SQL = _COUNTED_QUEUE.format(queue=_queue_sql(numbers=_READ))


def queue_params(
    org_id: int,
    me: int | None,
    *,
    is_owner: bool,
    limit: Decimal | None,
    two_step: Decimal | None,
) -> dict[str, Any]:
    """The bind parameters of the queue with the policy's numbers given (QUEUE_SQL)."""
    return {
        "org": org_id,
        "me": me,
        "is_owner": is_owner,
        "limit": limit,
        "two_step": two_step,
        "cap": QUEUE_LIMIT,
    }


def queue_count_params(
    org_id: int,
    me: int | None,
    *,
    is_owner: bool,
    limit_rule: str,
    default_limit: Decimal | None,
    default_two_step: Decimal | None,
) -> dict[str, Any]:
    """The bind parameters of QUEUE_COUNT_SQL, which reads the policy itself: the seat's
    limit rule and the numbers of an org without a saved policy."""
    return {
        "org": org_id,
        "me": me,
        "is_owner": is_owner,
        "limit_rule": limit_rule,
        "default_limit": default_limit,
        "default_two_step": default_two_step,
        "cap": QUEUE_LIMIT,
    }


def queue(
    org_id: int,
    me: int | None,
    *,
    is_owner: bool,
    limit: Decimal | None,
    two_step: Decimal | None,
    person: int | None = None,
    category: int | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> list[dict[str, Any]]:
    """What `me` may decide, oldest submission first, with the first receipt's id."""
    where = ""
    if person is not None:
        where += " AND t.created_by = :person"
    if category is not None:
        where += (
            " AND t.category_id IN (SELECT f.id FROM categories f"
            " WHERE f.org_id = :org AND (f.id = :cat OR f.parent_id = :cat))"
        )
    if low is not None:
        where += " AND t.base_amount >= :low"
    if high is not None:
        where += " AND t.base_amount <= :high"
    params = {
        **queue_params(org_id, me, is_owner=is_owner, limit=limit, two_step=two_step),
        "person": person,
        "cat": category,
        "low": low,
        "high": high,
    }
    sql = text(_queue_sql(where))
    return [row._asdict() for row in db.session.execute(sql, params)]


HISTORY_SQL = """
SELECT a.at, a.action, a.actor_id, coalesce(nullif(u.name, ''), u.email) AS actor,
       a.after ->> 'state' AS state, a.after ->> 'comment' AS comment
FROM audit_log a
LEFT JOIN users u ON u.id = a.actor_id
WHERE a.org_id = :org AND a.object_type = 'transaction' AND a.object_id = :id
ORDER BY a.id
LIMIT 200
"""


def history(org_id: int, txn_id: int) -> list[dict[str, Any]]:
    """A transaction's timeline: every audited change and approval step, oldest first."""
    rows = db.session.execute(text(HISTORY_SQL), {"org": org_id, "id": str(txn_id)})
    return [row._asdict() for row in rows]


OWED_SQL = """
SELECT t.created_by AS user_id, coalesce(nullif(u.name, ''), u.email) AS person,
       count(*) AS count, sum(t.base_amount) AS total
FROM transactions t
LEFT JOIN users u ON u.id = t.created_by
WHERE t.org_id = :org AND t.paid_personally AND t.reimbursement_id IS NULL
  AND t.kind = 'expense' AND {counted}{own}
GROUP BY t.created_by, person
ORDER BY person
"""

OWED_ITEMS_SQL = """
SELECT t.id, t.date, t.description, t.amount, t.currency, t.base_amount, t.created_by
FROM transactions t
WHERE t.org_id = :org AND t.paid_personally AND t.reimbursement_id IS NULL
  AND t.kind = 'expense' AND {counted}{own}
ORDER BY t.created_by, t.date, t.id
"""


def to_reimburse(org_id: int, own_user: int | None = None) -> list[dict[str, Any]]:
    """Per person: approved expenses they paid themselves, not yet paid back, with totals;
    each person's `items` listed."""
    own = "" if own_user is None else " AND t.created_by = :own"
    params = {"org": org_id, "own": own_user}
    people = [
        row._asdict()
        for row in db.session.execute(text(OWED_SQL.format(counted=COUNTED_SQL, own=own)), params)
    ]
    items = db.session.execute(text(OWED_ITEMS_SQL.format(counted=COUNTED_SQL, own=own)), params)
    by_person: dict[int | None, list[dict[str, Any]]] = {}
    for row in items:
        by_person.setdefault(row.created_by, []).append(row._asdict())
    for person in people:
        person["items"] = by_person.get(person["user_id"], [])
    return people
