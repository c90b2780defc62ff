"""Columns and keys several models share; the migrations (tenants/ddl.py) hold the constraints."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, MappedColumn, declared_attr, mapped_column

TIMESTAMP = DateTime(timezone=True)


def created_at() -> MappedColumn[Any]:
    return mapped_column(TIMESTAMP, server_default=func.now())


def updated_at() -> MappedColumn[Any]:
    return mapped_column(TIMESTAMP, server_default=func.now(), onupdate=func.now())


def moment() -> MappedColumn[Any]:
    """A timestamp that stays empty until something happens (archived, paid, paused)."""
    return mapped_column(TIMESTAMP)


def money() -> MappedColumn[Any]:
    """An amount: NUMERIC(19, 4), never a float (app/money.py)."""
    return mapped_column(Numeric(19, 4))


def created_by() -> MappedColumn[Any]:
    return mapped_column(Integer, ForeignKey("users.id"))


def org_key(column: str, table: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """`(org_id, column)` points at a row of `table` in the same org (DESIGN.md, tenancy rule 1),
    under the name the migrations gave it: fk_<column>_<table>."""
    return ForeignKeyConstraint(
        ["org_id", column],
        [f"{table}.org_id", f"{table}.id"],
        name=f"fk_{column}_{table}",
        ondelete=ondelete,
    )


def category_key(table: str, kind_column: str = "kind") -> ForeignKeyConstraint:
    """The category is in the row's org and has the row's kind."""
    return ForeignKeyConstraint(
        ["org_id", "category_id", kind_column],
        ["categories.org_id", "categories.id", "categories.kind"],
        name=f"fk_{table}_category",
    )


class Authored:
    """Who created a row, when, and when it last changed."""

    created_by: Mapped[int | None] = created_by()
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class Posting:
    """What a transaction and a recurring rule (which posts transactions) both carry."""

    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[Decimal] = money()
    currency: Mapped[str] = mapped_column(String(3))
    category_id: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(200), default="")
    payment_method_id: Mapped[int | None] = mapped_column(BigInteger)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[ForeignKeyConstraint, ...]:
        return posting_keys(cls.__tablename__)  # type: ignore[attr-defined]


def posting_keys(table: str) -> tuple[ForeignKeyConstraint, ...]:
    """A posting's category and payment method are in its org (and the category of its kind)."""
    return (
        category_key(table),
        org_key("payment_method_id", "payment_methods"),
    )
