"""The OpenAPI paths and schemas of /api/v1/orgs/{slug}/budgets (merged by openapi.py)."""

from __future__ import annotations

from typing import Any

from app.api.openapi_parts import DATE, ID, crud, money, ref

MONEY = money("500.00")

FIELDS: dict[str, Any] = {
    "name": {"type": "string", "maxLength": 80, "description": "Default: the category's name"},
    "category_id": {
        **ID,
        "nullable": True,
        "description": "An expense category (its children count too); null: all spending",
    },
    "period": {"type": "string", "enum": ["monthly", "annual"]},
    "amount": MONEY,
    "rollover": {"type": "boolean", "description": "Add last period's unspent amount"},
    "thresholds": {
        "type": "array",
        "minItems": 1,
        "maxItems": 5,
        "items": {"type": "integer", "minimum": 1, "maximum": 200},
        "description": "Alert at these percentages of the amount (default 80, 100)",
    },
}
ACTUAL = {
    "type": "object",
    "properties": {
        "period_start": DATE,
        "period_end": {**DATE, "description": "Exclusive"},
        "amount": MONEY,
        "carried": MONEY,
        "available": MONEY,
        "spent": MONEY,
        "remaining": {"type": "string"},
        "percent": {"type": "string"},
        "state": {"type": "string", "enum": ["ok", "near", "over"]},
    },
}

SCHEMAS: dict[str, Any] = {
    "BudgetInput": {"type": "object", "properties": FIELDS, "additionalProperties": False},
    "BudgetPeriod": ACTUAL,
    "Budget": {
        "type": "object",
        "properties": {
            "id": ID,
            **FIELDS,
            "current": ref("BudgetPeriod"),
            "history": {"type": "array", "items": ref("BudgetPeriod")},
        },
    },
}


def paths(org: str) -> dict[str, Any]:
    summaries = {
        "get": "Budgets with this period's figures",
        "post": "Create a budget (amount, period monthly or annual required)",
        "read": "One budget, with its last 12 periods",
    }
    return crud(f"{org}/budgets", "budget_id", "Budget", "budget", summaries)
