"""The API list writes rows with orjson, leaving dates and times to it; each item must be the
JSON `schemas.transaction` (isoformat in Python) gives for the same row, whatever the times."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, NamedTuple

from flask import Flask

from app.api import schemas


class Row(NamedTuple):
    """A plain row of the transactions table, in another column order than the API's."""

    updated_at: datetime | None
    id: int
    org_id: int
    kind: str
    date: date
    amount: Decimal
    currency: str
    rate: Decimal
    rate_date: date | None
    rate_source: str | None
    base_amount: Decimal
    category_id: int
    description: str
    payment_method_id: int | None
    notes: str | None
    tags: list[str] | None
    status: str
    approval_state: str | None
    paid_personally: bool
    reimbursed_at: datetime | None
    created_by: int
    created_at: datetime | None


def _row(n: int, **changes: Any) -> Row:
    base = Row(
        updated_at=datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC),
        id=n,
        org_id=1,
        kind="expense",
        date=date(2026, 2, 28),
        amount=Decimal("1234.5000"),
        currency="EUR",
        rate=Decimal("1.0000000000"),
        rate_date=date(2026, 2, 27),
        rate_source="ecb",
        base_amount=Decimal("1234.5000"),
        category_id=3,
        description='Zürich "taxi" \u2028 line',
        payment_method_id=None,
        notes=None,
        tags=["fuel", "van"],
        status="posted",
        approval_state=None,
        paid_personally=False,
        reimbursed_at=None,
        created_by=7,
        created_at=datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC),  # no microseconds
    )
    return base._replace(**changes)


def test_rows_written_by_orjson_are_the_single_item_json():
    rows = [
        _row(1),
        _row(2, tags=None, rate_date=None, created_at=None, updated_at=None),
        _row(
            3,
            reimbursed_at=datetime(2026, 3, 2, 8, 30, 0, 5, tzinfo=timezone(timedelta(hours=-5))),
            amount=Decimal("-0.0100"),
            paid_personally=True,
        ),
    ]
    with Flask(__name__).app_context():
        body = schemas.json_response({"items": schemas.transaction_rows(rows)}).get_data()
    assert json.loads(body)["items"] == [
        json.loads(json.dumps(schemas.transaction(row))) for row in rows
    ]
