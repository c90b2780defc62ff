"""Transaction summaries against their rows: where the kept sums and a recount disagree.

`transaction_summaries` (migration 0011s) is kept by triggers in the writing transaction. A
difference means something wrote around them (a restore, a manual fix, a bug); `outlay
summaries check` reports it and `outlay summaries rebuild` writes the recount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text

from app.extensions import db

KEY = "month, kind, category_id, created_by, status, approval_state"
# Both sides in one statement (one snapshot, so a concurrent writer's commit is on both or on
# neither); grouping matches an empty author (NULL) with itself, as the unique key does.
DIFFERENCES_SQL = f"""
SELECT {KEY}, sum(kept_total) AS kept_total, sum(kept_count) AS kept_count,
       sum(rows_total) AS rows_total, sum(rows_count) AS rows_count
FROM (
  SELECT {KEY}, base_total AS kept_total, row_count AS kept_count,
         0 AS rows_total, 0 AS rows_count
  FROM transaction_summaries WHERE org_id = :org
  UNION ALL
  SELECT {KEY}, 0, 0, base_total, row_count FROM outlay_summaries_from_rows()
) both_sides
GROUP BY {KEY}
HAVING sum(kept_total) <> sum(rows_total) OR sum(kept_count) <> sum(rows_count)
ORDER BY {KEY}
"""  # noqa: S608 (constants)


@dataclass(frozen=True)
class Difference:
    month: date
    kind: str
    category_id: int
    created_by: int | None
    status: str
    approval_state: str
    kept_total: Decimal
    kept_count: int
    rows_total: Decimal
    rows_count: int

    def describe(self) -> str:
        who = "no author" if self.created_by is None else f"user {self.created_by}"
        return (
            f"{self.month:%Y-%m} {self.kind} category {self.category_id} ({who}, "
            f"{self.status}/{self.approval_state}): kept {self.kept_count} totalling "
            f"{self.kept_total}, rows {self.rows_count} totalling {self.rows_total}"
        )


def differences(org_id: int) -> list[Difference]:
    """Under the org's tenant context: every key whose kept sums differ from the rows'."""
    rows = db.session.execute(text(DIFFERENCES_SQL), {"org": org_id})
    return [Difference(**row._asdict()) for row in rows]


def rebuild(org_id: int) -> int:
    """Under the org's tenant context: replace its summaries by a recount (the definer
    function takes the org's summaries lock, so writers wait); the number of summary rows."""
    del org_id  # the function rebuilds the tenant set, never another org
    return db.session.execute(text("SELECT outlay_summaries_rebuild()")).scalar_one()
