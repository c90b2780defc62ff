"""One budget per category (or all spending) and period in an org: a second identical budget
would double-count alerts and contradict the first.
"""

from alembic import op
from sqlalchemy import text

revision = "0006i_budget_unique"  # created 2026-12-01
down_revision = "0005"


def upgrade() -> None:
    # Duplicates made before this rule are the owner's data: name them rather than drop any.
    duplicates = (
        op.get_bind()
        .execute(
            text(
                "SELECT org_id, category_id, period, count(*) FROM budgets "
                "GROUP BY org_id, category_id, period HAVING count(*) > 1"
            )
        )
        .all()
    )
    if duplicates:
        listed = ", ".join(f"org {o} category {c or 'all'} {p} ({n})" for o, c, p, n in duplicates)
        raise RuntimeError(
            f"Duplicate budgets must be merged or deleted before this upgrade: {listed}."
        )
    # Leads with org_id (tenancy rule 2); "all spending" (NULL category) counts as one category.
    op.execute(
        "CREATE UNIQUE INDEX uq_budgets_category_period "
        "ON budgets (org_id, COALESCE(category_id, 0), period)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS uq_budgets_category_period")
