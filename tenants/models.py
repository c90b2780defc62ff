"""Organisation (global) and Membership (a tenant table: it carries org_id)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.roles import Role


class TenantRow:
    """The key every tenant table has (tenants/rls.create_tenant_table): (org_id, id)."""

    org_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)


class Organisation(db.Model):
    """Global: names and slugs are needed to resolve a URL before the tenant is known."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    base_currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # IANA name (app/clock.py): the org's "today", months and budget periods follow it.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # The first month (1-12) of its financial year: annual budgets, "this year" and reports.
    fiscal_year_start: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Written only by the SECURITY DEFINER functions of migration 0006d (the app has no grant).
    deletion_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deletion_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deletion_requested_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("base_currency ~ '^[A-Z]{3}$'", name="base_currency_iso"),
        CheckConstraint("slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'", name="slug_format"),
    )


class Membership(db.Model):
    """A user's role in one org. Tenant table: (org_id, id) key, RLS forced."""

    __tablename__ = "memberships"

    org_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), index=False
    )
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user = relationship("User", lazy="joined")

    __table_args__ = (
        UniqueConstraint("org_id", "user_id"),
        CheckConstraint("role IN ('owner', 'accountant', 'member', 'viewer')", name="role_known"),
    )

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
