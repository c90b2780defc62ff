"""Foundation: users, organisations, memberships, invitations, audit log, RLS.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants import rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("slug", sa.String(63), nullable=False, unique=True),
        sa.Column("base_currency", sa.String(3), nullable=False, server_default="EUR"),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
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
        sa.Column("confirmed_at", TS),
        sa.Column("last_login_at", TS),
        sa.Column("current_login_at", TS),
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
        sa.Column("create_datetime", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("update_datetime", TS, nullable=False, server_default=sa.func.now()),
    )
    op.execute("CREATE UNIQUE INDEX ix_users_email_lower ON users (lower(email))")
    rls.grant_runtime("users")

    op.create_table(
        "roles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("description", sa.String(255)),
        sa.Column("permissions", sa.Text),
        sa.Column("update_datetime", TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "roles_users",
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "role_id", sa.Integer, sa.ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    rls.grant_runtime("roles")
    rls.grant_runtime("roles_users")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {rls.APP_ROLE}")

    rls.create_tenant_table(
        "memberships",
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("org_id", "user_id", name="uq_memberships_org_id_user_id"),
        sa.CheckConstraint(
            "role IN ('owner', 'accountant', 'member', 'viewer')", name="role_known"
        ),
    )

    rls.create_tenant_table(
        "invitations",
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("invited_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("accepted_at", TS),
        sa.Column("revoked_at", TS),
        sa.CheckConstraint(
            "role IN ('owner', 'accountant', 'member', 'viewer')", name="role_known"
        ),
    )

    rls.create_tenant_table(
        "audit_log",
        sa.Column("at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
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
    op.execute(
        """
        CREATE FUNCTION outlay_my_memberships()
        RETURNS TABLE (org_id bigint, role text)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public
        AS $$
          SELECT m.org_id, m.role::text FROM public.memberships m
          WHERE m.user_id = NULLIF(current_setting('app.user_id', true), '')::integer
        $$
        """
    )
    op.execute(f"ALTER FUNCTION outlay_my_memberships() OWNER TO {rls.ADMIN_ROLE}")
    op.execute("REVOKE ALL ON FUNCTION outlay_my_memberships() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION outlay_my_memberships() TO {rls.APP_ROLE}")


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
