"""ECB reference rates: a global table (public facts, not tenant data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class FxRate(db.Model):
    __tablename__ = "fx_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    per_eur: Mapped[Decimal] = mapped_column(Numeric(20, 10))  # units of currency per 1 EUR
    source: Mapped[str] = mapped_column(String(16), default="ecb")
