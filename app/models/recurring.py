"""Recurring rules (a transaction template plus a schedule) and one-off bill reminders.

Migration 0003r is the source of truth for constraints; the models mirror the columns.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, SmallInteger, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import Authored, Posting, created_at, created_by, moment, money
from tenants.models import TenantRow

FREQUENCIES = ("daily", "weekly", "monthly", "yearly")


class RecurringRule(Posting, Authored, TenantRow, db.Model):
    __tablename__ = "recurring_rules"

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
    paused_at: Mapped[datetime | None] = moment()
    is_bill: Mapped[bool] = mapped_column(Boolean, default=False)
    remind_days_before: Mapped[int] = mapped_column(SmallInteger, default=3)


class Reminder(TenantRow, db.Model):
    """A one-off bill reminder: a title, a due date, maybe an amount."""

    __tablename__ = "reminders"

    title: Mapped[str] = mapped_column(String(120))
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = money()
    currency: Mapped[str] = mapped_column(String(3))
    remind_days_before: Mapped[int] = mapped_column(SmallInteger, default=3)
    paid_at: Mapped[datetime | None] = moment()
    created_by: Mapped[int | None] = created_by()
    created_at: Mapped[datetime] = created_at()
