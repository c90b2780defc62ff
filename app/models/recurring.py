"""Recurring rules (a transaction template plus a schedule) and one-off bill reminders.

Migration 0003r is the source of truth for constraints; the models mirror the columns.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import TenantRow

FREQUENCIES = ("daily", "weekly", "monthly", "yearly")


class RecurringRule(TenantRow, db.Model):
    __tablename__ = "recurring_rules"

    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = mapped_column(Numeric(19, 4))
    currency: Mapped[str] = mapped_column(String(3))
    category_id: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(200), default="")
    payment_method_id: Mapped[int | None] = mapped_column(BigInteger)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    frequency: Mapped[str] = mapped_column(String(8))
    interval: Mapped[int] = mapped_column(SmallInteger, default=1)
    weekday: Mapped[int | None] = mapped_column(SmallInteger)
    month_day: Mapped[int | None] = mapped_column(SmallInteger)
    month: Mapped[int | None] = mapped_column(SmallInteger)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    count: Mapped[int | None] = mapped_column(Integer)
    anchor_date: Mapped[date] = mapped_column(Date)
    anchor_done: Mapped[int] = mapped_column(Integer, default=0)
    posted_through: Mapped[date | None] = mapped_column(Date)
    done: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[list[date]] = mapped_column(ARRAY(Date), default=list)
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_bill: Mapped[bool] = mapped_column(Boolean, default=False)
    remind_days_before: Mapped[int] = mapped_column(SmallInteger, default=3)
    created_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        ForeignKeyConstraint(
            ["org_id", "category_id", "kind"],
            ["categories.org_id", "categories.id", "categories.kind"],
            name="fk_recurring_rules_category",
        ),
        ForeignKeyConstraint(
            ["org_id", "payment_method_id"],
            ["payment_methods.org_id", "payment_methods.id"],
            name="fk_payment_method_id_payment_methods",
        ),
    )


class Reminder(TenantRow, db.Model):
    """A one-off bill reminder: a title, a due date, maybe an amount."""

    __tablename__ = "reminders"

    title: Mapped[str] = mapped_column(String(120))
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(19, 4))
    currency: Mapped[str] = mapped_column(String(3))
    remind_days_before: Mapped[int] = mapped_column(SmallInteger, default=3)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
