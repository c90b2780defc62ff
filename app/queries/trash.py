"""The trash page's list: an org's trashed transactions, newest deletion first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from app.extensions import db

TRASH_LIMIT = 500

TRASHED_SQL = """
SELECT t.id, t.date, t.kind, t.description, t.amount, t.currency, t.base_amount,
       t.trashed_at, t.approval_state, c.name AS category_name,
       coalesce(nullif(u.name, ''), u.email) AS person,
       (SELECT count(*) FROM receipts r
         WHERE r.org_id = t.org_id AND r.transaction_id = t.id) AS receipts
FROM transactions t
JOIN categories c ON c.org_id = t.org_id AND c.id = t.category_id
LEFT JOIN users u ON u.id = t.created_by
WHERE t.org_id = :org AND t.status = 'trashed'
ORDER BY t.trashed_at DESC, t.id DESC
LIMIT :cap
"""


def trashed(org_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(text(TRASHED_SQL), {"org": org_id, "cap": TRASH_LIMIT})
    return [row._asdict() for row in rows]
