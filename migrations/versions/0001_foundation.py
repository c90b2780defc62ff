"""Foundation: users, organisations, memberships, invitations, audit log, RLS."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants import ddl, rls

revision = "0001"  # created 2026-11-25
down_revision = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("slug", sa.String(63), nullable=False, unique=True),
        sa.Column("base_currency", sa.String(3), nullable=False, server_default="EUR"),
        ddl.stamp(),
        sa.CheckConstraint("base_currency ~ '^[A-Z]{3}$'", name="base_currency_iso"),
        sa.CheckConstraint("slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'", name="slug_format"),
    )
    rls.grant_runtime("organisations")

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False, server_default=""),
        sa.Column("password", sa.String(255)),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("fs_uniquifier", sa.String(64), nullable=False, unique=True),
        sa.Column("confirmed_at", ddl.TS),
        sa.Column("last_login_at", ddl.TS),
        sa.Column("current_login_at", ddl.TS),
        sa.Column("last_login_ip", sa.String(64)),
        sa.Column("current_login_ip", sa.String(64)),
        sa.Column("login_count", sa.Integer),
        sa.Column("tf_primary_method", sa.String(64)),
        sa.Column("tf_totp_secret", sa.String(255)),
        sa.Column("tf_phone_number", sa.String(128)),
        sa.Column("mf_recovery_codes", sa.Text),
        sa.Column("us_totp_secrets", sa.Text),
        sa.Column("locale", sa.String(16), nullable=False, server_default="en"),
        sa.Column(
            "default_org_id", sa.BigInteger, sa.ForeignKey("organisations.id", ondelete="SET NULL")
        ),
        ddl.stamp("create_datetime"),
        ddl.stamp("update_datetime"),
    )
    op.execute("CREATE UNIQUE INDEX ix_users_email_lower ON users (lower(email))")
    rls.grant_runtime("users")

    op.create_table(
        "roles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("description", sa.String(255)),
        sa.Column("permissions", sa.Text),
        ddl.stamp("update_datetime"),
    )
    op.create_table(
        "roles_users",
        ddl.user_ref(primary_key=True),
        sa.Column(
            "role_id", sa.Integer, sa.ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    rls.grant_runtime("roles")
    rls.grant_runtime("roles_users")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {rls.APP_ROLE}")

    rls.create_tenant_table(
        "memberships",
        ddl.user_ref(),
        sa.Column("role", sa.String(16), nullable=False),
        ddl.stamp(),
        sa.UniqueConstraint("org_id", "user_id", name="uq_memberships_org_id_user_id"),
        sa.CheckConstraint(
            "role IN ('owner', 'accountant', 'member', 'viewer')", name="role_known"
        ),
    )

    rls.create_tenant_table(
        "invitations",
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        ddl.user_ref("invited_by", ondelete=None, nullable=True),
        ddl.stamp(),
        sa.Column("accepted_at", ddl.TS),
        sa.Column("revoked_at", ddl.TS),
        sa.CheckConstraint(
            "role IN ('owner', 'accountant', 'member', 'viewer')", name="role_known"
        ),
    )

    rls.create_tenant_table(
        "audit_log",
        ddl.stamp("at"),
        ddl.user_ref("actor_id", ondelete=None, nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(64)),
        sa.Column("before", postgresql.JSONB),
        sa.Column("after", postgresql.JSONB),
        append_only=True,
    )
    rls.create_tenant_index("ix_audit_log_org_id_at", "audit_log", ["at"])

    # SECURITY DEFINER, owned by the BYPASSRLS role: returns only the memberships of the
    # user named in the transaction's app.user_id (the org switcher needs all of them).
    ddl.create_definer(
        "outlay_my_memberships()",
        "TABLE (org_id bigint, role text)",
        f"""
        SELECT m.org_id, m.role::text FROM public.memberships m
        WHERE m.user_id = {ddl.USER_EXPR}
        """,
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS outlay_my_memberships()")
    for table in (
        "audit_log",
        "invitations",
        "memberships",
        "roles_users",
        "roles",
        "users",
        "organisations",
    ):
        op.drop_table(table)
