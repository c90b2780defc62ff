"""Budgets and the alerts already sent for them (migration 0003b holds the constraints)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.extensions import db
from app.models.columns import TIMESTAMP, Authored, category_key, created_at, money, org_key
from tenants.models import TenantRow

PERIODS = ("monthly", "annual")
DEFAULT_THRESHOLDS = [80, 100]


class Budget(Authored, TenantRow, db.Model):
    __tablename__ = "budgets"

    name: Mapped[str] = mapped_column(String(80))
    category_id: Mapped[int | None] = mapped_column(BigInteger)
    category_kind: Mapped[str] = mapped_column(String(8), default="expense")
    period: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = money()
    rollover: Mapped[bool] = mapped_column(Boolean, default=False)
    thresholds: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger))
    # From the one clock: the history starts at the period this falls in (queries/budgets).
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=clock.now, server_default=func.now()
    )

    __table_args__ = (category_key("budgets", kind_column="category_kind"),)


class BudgetAlert(TenantRow, db.Model):
    __tablename__ = "budget_alerts"

    budget_id: Mapped[int] = mapped_column(BigInteger)
    period_start: Mapped[date] = mapped_column(Date)
    threshold: Mapped[int] = mapped_column(SmallInteger)
    spent: Mapped[Decimal] = money()
    available: Mapped[Decimal] = money()
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (org_key("budget_id", "budgets", ondelete="CASCADE"),)
