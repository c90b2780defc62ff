"""Archive imports: an owner's upload of an org archive, restored into their new org by a job.

`archive_imports` is a tenant table: a row per upload, with the stored file's key (removed once
the job ends), the job's status and progress (0-100, with the step it is on), the error that
refused the archive, and the rows restored per table.

Revision ID: 0011a
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from tenants import rls

revision = "0011a"
down_revision = "0010"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    rls.create_tenant_table(
        "archive_imports",
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("file_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("stored_as", sa.String(200), nullable=False, server_default=""),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(8), nullable=False, server_default="queued"),
        sa.Column("progress", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("step", sa.String(100), nullable=False, server_default=""),
        sa.Column("error", sa.String(1000), nullable=False, server_default=""),
        sa.Column("counts", JSONB),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("finished_at", TS),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="archive_import_status"
        ),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="archive_import_progress"),
    )
    rls.create_tenant_index("ix_archive_imports_user", "archive_imports", ["user_id"])


def downgrade() -> None:
    op.drop_table("archive_imports")
