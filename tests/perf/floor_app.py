"""The floor for the API benchmark: what Flask and PostgreSQL cost with nothing in between.

Flask and psycopg2 only: no ORM, no extensions. Each gunicorn worker keeps one connection (as
`outlay_app`, so RLS applies) and runs the statements one Outlay list request ran, captured by
the benchmark with their parameters (`OUTLAY_BENCH_FLOOR_SQL` names the JSON file): the token
lookup that also sets the tenant, then the page, in one transaction, rolled back as Outlay's
is. The page's rows become JSON by hand, in the API's shape.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
from flask import Flask, Response

STATEMENTS: list[tuple[str, dict[str, Any]]] = [
    (sql, params)
    for sql, params in json.loads(Path(os.environ["OUTLAY_BENCH_FLOOR_SQL"]).read_text())
]
DSN = os.environ["OUTLAY_BENCH_FLOOR_DSN"]
LIMIT = int(os.environ.get("OUTLAY_BENCH_FLOOR_LIMIT", "50"))

# The API's fields, in its order (app/api/schemas.py).
FIELDS = (
    "id", "kind", "date", "amount", "currency", "rate", "rate_date", "rate_source",
    "base_amount", "category_id", "description", "payment_method_id", "notes", "tags",
    "status", "approval_state", "paid_personally", "reimbursed_at", "created_by", "created_at",
    "updated_at",
)  # fmt: skip

app = Flask(__name__)
_connection = None


def connection():
    global _connection  # one per worker process, opened after the fork
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(DSN)
    return _connection


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.4f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@app.get("/api/v1/orgs/<slug>/transactions")
def transactions(slug: str) -> Response:
    del slug
    conn = connection()
    with conn.cursor() as cursor:
        for sql, params in STATEMENTS[:-1]:
            cursor.execute(sql, params)
        sql, params = STATEMENTS[-1]
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    conn.rollback()
    at = {name: names.index(name) for name in FIELDS}
    items = []
    for row in rows[:LIMIT]:
        item = {name: _json(row[at[name]]) for name in FIELDS}
        item["rate"] = str(row[at["rate"]])
        item["tags"] = list(item["tags"] or [])
        items.append(item)
    next_cursor = None
    if len(rows) > LIMIT:  # the keyset cursor, as Outlay writes it: (date, id) of the last row
        last = items[-1]
        raw = json.dumps([last["date"], last["id"]]).encode()
        next_cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    body = {"items": items, "next_cursor": next_cursor, "limit": LIMIT}
    return Response(json.dumps(body), mimetype="application/json")
