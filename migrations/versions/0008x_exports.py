"""Exports prepared by a job (a file with an expiring link), and each org's fiscal year start.

`exports` is a tenant table: a row per export or archive a person asked for, with the file's
name under the exports folder, its size and checksum, and when its link stops working.
`organisations.fiscal_year_start` is the first month (1-12) of the org's financial year:
annual budgets, the "this year" presets and the reports follow it. Existing orgs keep January.
"""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0008x_exports"  # created 2026-12-02
down_revision = "0008"


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("fiscal_year_start", sa.SmallInteger, nullable=False, server_default="1"),
    )
    op.create_check_constraint(
        "fiscal_year_start_month", "organisations", "fiscal_year_start BETWEEN 1 AND 12"
    )
    op.execute(f"GRANT UPDATE (fiscal_year_start) ON organisations TO {rls.APP_ROLE}")
    rls.create_tenant_table(
        "exports",
        ddl.user_ref(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        # The list's query string (transactions) or the report's parameters, as asked.
        sa.Column("query", sa.String(2000), nullable=False, server_default=""),
        sa.Column("status", sa.String(8), nullable=False, server_default="queued"),
        sa.Column("row_count", sa.BigInteger),
        sa.Column("file_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("stored_as", sa.String(200), nullable=False, server_default=""),
        sa.Column("size", sa.BigInteger),
        sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("error", sa.String(500), nullable=False, server_default=""),
        ddl.stamp(),
        sa.Column("finished_at", ddl.TS),
        sa.Column("expires_at", ddl.TS, nullable=False),
        sa.CheckConstraint("kind IN ('transactions', 'report', 'archive')", name="kind_known"),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="export_status_known"
        ),
    )
    rls.create_tenant_index("ix_exports_user", "exports", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_table("exports")
    op.drop_constraint("fiscal_year_start_month", "organisations")
    op.drop_column("organisations", "fiscal_year_start")
