"""Row-level security DDL, used by migrations so a new tenant table cannot forget it.

A tenant table is created with `create_tenant_table()`: it gets `org_id BIGINT NOT NULL`
referencing organisations, a primary key `(org_id, id)`, RLS enabled and forced, the one
isolation policy and the runtime grants. Foreign keys between tenant tables are composite
`(org_id, x_id) -> (org_id, id)`, so a row can never point into another org.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

APP_ROLE = "outlay_app"
ADMIN_ROLE = "outlay_admin"
POLICY_NAME = "tenant_isolation"
# A transaction-local setting reads '' (not NULL) once its transaction ends on a pooled
# connection; NULLIF turns that into NULL, so no org set means no rows.
ORG_EXPR = "org_id = NULLIF(current_setting('app.org_id', true), '')::bigint"
DML = "SELECT, INSERT, UPDATE, DELETE"


def tenant_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column(
            "org_id",
            sa.BigInteger,
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
    ]


def tenant_fk(column: str, table: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """A foreign key to another tenant table, carrying org_id with it."""
    return sa.ForeignKeyConstraint(
        ["org_id", column],
        [f"{table}.org_id", f"{table}.id"],
        name=f"fk_{column}_{table}",
        ondelete=ondelete,
    )


def create_tenant_table(name: str, *columns: Any, append_only: bool = False, **kwargs: Any) -> None:
    op.create_table(
        name,
        *tenant_columns(),
        *columns,
        sa.PrimaryKeyConstraint("org_id", "id", name=f"pk_{name}"),
        **kwargs,
    )
    enable_tenant_rls(name, append_only=append_only)


def enable_tenant_rls(table: str, *, append_only: bool = False) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {POLICY_NAME} ON {table} USING ({ORG_EXPR}) WITH CHECK ({ORG_EXPR})")
    grant_runtime(table, "SELECT, INSERT" if append_only else DML)


def grant_runtime(table: str, privileges: str = DML) -> None:
    """DML only: never TRUNCATE, REFERENCES or TRIGGER for the app role."""
    op.execute(f"REVOKE ALL ON {table} FROM {APP_ROLE}")
    op.execute(f"GRANT {privileges} ON {table} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT ON {table} TO {ADMIN_ROLE}")


def create_tenant_view(name: str, select_sql: str) -> None:
    """Views over tenant tables run with the caller's rights, so RLS still applies."""
    op.execute(f"CREATE VIEW {name} WITH (security_invoker = true) AS {select_sql}")
    op.execute(f"GRANT SELECT ON {name} TO {APP_ROLE}, {ADMIN_ROLE}")


def create_tenant_index(name: str, table: str, columns: list[str], **kwargs: Any) -> None:
    """Indexes on tenant tables lead with org_id."""
    op.create_index(name, table, ["org_id", *columns], **kwargs)


# Global tables (no org_id): what outlay_app may do on each, and no more (docs/tenancy.md).
# No DELETE on users or organisations and no UPDATE of a key: their foreign keys cascade into
# tenant rows, and a cascade ignores RLS. New columns on these tables need a line here and a
# GRANT in their migration if the app writes them.
GLOBAL_GRANTS: dict[str, str] = {
    "users": "SELECT, INSERT",
    "organisations": "SELECT, INSERT",
    "api_tokens": "SELECT",
    "roles": "SELECT",
    "roles_users": "SELECT",
}
GLOBAL_INSERT_COLUMNS: dict[str, tuple[str, ...]] = {
    # The ORM names every column without a server default; RLS pins user_id to app.user_id.
    "api_tokens": ("user_id", "name", "prefix", "digest", "last_used_at", "revoked_at"),
}
GLOBAL_UPDATE_COLUMNS: dict[str, tuple[str, ...]] = {
    # What Flask-Security (login tracking, confirm, reset/change password, change email,
    # two-factor setup, recovery codes) and the profile page write; RLS keeps it to one's own row.
    "users": (
        "email", "name", "password", "fs_uniquifier", "confirmed_at",
        "last_login_at", "current_login_at", "last_login_ip", "current_login_ip", "login_count",
        "tf_primary_method", "tf_totp_secret", "tf_phone_number", "mf_recovery_codes",
        "locale", "default_org_id", "update_datetime",
    ),
    "organisations": ("name", "base_currency", "time_zone", "fiscal_year_start"),
    "api_tokens": ("revoked_at",),
}  # fmt: skip
