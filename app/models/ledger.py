"""The ledger aggregate: categories, payment methods, transactions, saved views.

Migration 0002 is the source of truth for constraints; the models mirror the columns and the
composite keys so the ORM joins the way the database enforces.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import TenantRow

KINDS = ("income", "expense")


class Category(TenantRow, db.Model):
    __tablename__ = "categories"

    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(BigInteger)
    color: Mapped[str] = mapped_column(String(7), default="#6c757d")
    icon: Mapped[str] = mapped_column(String(32), default="tag")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        UniqueConstraint("org_id", "id", "kind"),
        ForeignKeyConstraint(
            ["org_id", "parent_id", "kind"],
            ["categories.org_id", "categories.id", "categories.kind"],
            name="fk_categories_parent",
        ),
    )


class PaymentMethod(TenantRow, db.Model):
    __tablename__ = "payment_methods"

    name: Mapped[str] = mapped_column(String(40))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Transaction(TenantRow, db.Model):
    __tablename__ = "transactions"

    kind: Mapped[str] = mapped_column(String(8))
    date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 4))
    currency: Mapped[str] = mapped_column(String(3))
    # In the org's base currency (migration 0003c): units of base per 1 unit of `currency`,
    # the ECB fix date used (None for an override), and where the rate came from.
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10), default=Decimal(1))
    rate_date: Mapped[date | None] = mapped_column(Date)
    rate_source: Mapped[str] = mapped_column(String(16), default="base")
    base_amount: Mapped[Decimal] = mapped_column(Numeric(19, 4))
    category_id: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(200), default="")
    payment_method_id: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    status: Mapped[str] = mapped_column(String(16), default="posted")
    # Migration 0009ap; the rules are app/services/approvals/ (docs/approvals.md).
    approval_state: Mapped[str] = mapped_column(String(10), default="approved")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_approved_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))
    paid_personally: Mapped[bool] = mapped_column(Boolean, default=False)
    reimbursement_id: Mapped[int | None] = mapped_column(BigInteger)
    reimbursed_at: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    # Set when a recurring rule posted it (migration 0003r): each occurrence at most once.
    recurring_rule_id: Mapped[int | None] = mapped_column(BigInteger)
    occurrence_date: Mapped[date | None] = mapped_column(Date)
    search = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('simple'::regconfig, description || ' ' || notes)"),
        deferred=True,
    )

    __table_args__ = (
        ForeignKeyConstraint(
            ["org_id", "category_id", "kind"],
            ["categories.org_id", "categories.id", "categories.kind"],
            name="fk_transactions_category",
        ),
        ForeignKeyConstraint(
            ["org_id", "payment_method_id"],
            ["payment_methods.org_id", "payment_methods.id"],
            name="fk_payment_method_id_payment_methods",
        ),
        ForeignKeyConstraint(
            ["org_id", "reimbursement_id"],
            ["reimbursements.org_id", "reimbursements.id"],
            name="fk_reimbursement_id_reimbursements",
        ),
    )


class SavedView(TenantRow, db.Model):
    """A named filter: the query string of the transactions page."""

    __tablename__ = "saved_views"

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    query: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
