"""Approvals: each org's approval policy, reimbursements and receipts (migration 0009ap).

A transaction's own approval state lives on it (`Transaction.approval_state`); the rules that
move it are in app/services/approvals/.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Integer,
    String,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import created_at, created_by, money, org_key, updated_at
from tenants.models import TenantRow


class ApprovalPolicy(TenantRow, db.Model):
    """At most one row per org; an org without one has the defaults of
    `app.services.approvals.policy.DEFAULTS`."""

    __tablename__ = "approval_policies"

    members_need_approval: Mapped[bool] = mapped_column(Boolean, default=True)
    approval_amount: Mapped[Decimal | None] = money()
    always_category_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)
    accountant_limit: Mapped[Decimal | None] = money()
    two_step_amount: Mapped[Decimal | None] = money()
    receipt_amount: Mapped[Decimal | None] = money()
    digest_days: Mapped[int] = mapped_column(Integer, default=3)
    updated_by: Mapped[int | None] = created_by()
    updated_at: Mapped[datetime] = updated_at()


class Reimbursement(TenantRow, db.Model):
    """One payment back to one person, covering one or more of their expenses."""

    __tablename__ = "reimbursements"

    user_id: Mapped[int | None] = created_by()
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(100), default="")
    total: Mapped[Decimal] = money()
    currency: Mapped[str] = mapped_column(String(3))
    created_by: Mapped[int | None] = created_by()
    created_at: Mapped[datetime] = created_at()


class Receipt(TenantRow, db.Model):
    """A file attached to a transaction; its bytes are in the storage (app/storage.py)."""

    __tablename__ = "receipts"

    transaction_id: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(200))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200))
    reading_status: Mapped[str] = mapped_column(String(16), default="none")
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    uploaded_by: Mapped[int | None] = created_by()
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (org_key("transaction_id", "transactions", ondelete="CASCADE"),)
