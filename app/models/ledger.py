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
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import (
    Authored,
    Posting,
    created_at,
    created_by,
    moment,
    money,
    org_key,
    posting_keys,
)
from tenants.models import TenantRow

KINDS = ("income", "expense")


class Category(TenantRow, db.Model):
    __tablename__ = "categories"

    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(BigInteger)
    color: Mapped[str] = mapped_column(String(7), default="#6c757d")
    icon: Mapped[str] = mapped_column(String(32), default="tag")
    archived_at: Mapped[datetime | None] = moment()
    created_at: Mapped[datetime] = created_at()

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
    archived_at: Mapped[datetime | None] = moment()
    created_at: Mapped[datetime] = created_at()


class Transaction(Posting, Authored, TenantRow, db.Model):
    __tablename__ = "transactions"

    date: Mapped[date] = mapped_column(Date)
    # In the org's base currency (migration 0003c): units of base per 1 unit of `currency`,
    # the ECB fix date used (None for an override), and where the rate came from.
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10), default=Decimal(1))
    rate_date: Mapped[date | None] = mapped_column(Date)
    rate_source: Mapped[str] = mapped_column(String(16), default="base")
    base_amount: Mapped[Decimal] = money()
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="posted")
    # Migration 0011r: a deleted transaction is `trashed` (app/services/ledger/trash.py), with
    # when, and the status it had for a restore.
    trashed_at: Mapped[datetime | None] = moment()
    trashed_from: Mapped[str | None] = mapped_column(String(16))
    # Migration 0009ap; the rules are app/services/approvals/ (docs/approvals.md).
    approval_state: Mapped[str] = mapped_column(String(10), default="approved")
    submitted_at: Mapped[datetime | None] = moment()
    first_approved_by: Mapped[int | None] = created_by()
    paid_personally: Mapped[bool] = mapped_column(Boolean, default=False)
    reimbursement_id: Mapped[int | None] = mapped_column(BigInteger)
    reimbursed_at: Mapped[date | None] = mapped_column(Date)
    # Set when a recurring rule posted it (migration 0003r): each occurrence at most once.
    recurring_rule_id: Mapped[int | None] = mapped_column(BigInteger)
    occurrence_date: Mapped[date | None] = mapped_column(Date)
    search = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('simple'::regconfig, description || ' ' || notes)"),
        deferred=True,
    )

    __table_args__ = (
        *posting_keys("transactions"),
        org_key("reimbursement_id", "reimbursements"),
    )


class SavedView(TenantRow, db.Model):
    """A named filter: the query string of the transactions page."""

    __tablename__ = "saved_views"

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    query: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = created_at()
