"""The OpenAPI paths and schemas of /api/v1/orgs/{slug}/budgets (merged by openapi.py)."""

from __future__ import annotations

from typing import Any

MONEY = {"type": "string", "pattern": r"^\d{1,15}(\.\d{1,4})?$", "example": "500.00"}
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
DATE = {"type": "string", "format": "date"}

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
            "current": {"$ref": "#/components/schemas/BudgetPeriod"},
            "history": {"type": "array", "items": {"$ref": "#/components/schemas/BudgetPeriod"}},
        },
    },
}


def paths(org: str, op: Any, ref: Any, json: Any, errors: Any, write_errors: Any) -> Any:
    ok = {"description": "OK"}
    one = {"200": {**ok, **json(ref("Budget"))}}
    body = {"required": True, **json(ref("BudgetInput"))}
    param = {"name": "budget_id", "in": "path", "required": True, "schema": ID}
    listing = {"type": "object", "properties": {"items": {"type": "array", "items": ref("Budget")}}}
    return {
        f"{org}/budgets": {
            "get": op(
                "Budgets with this period's figures", {"200": {**ok, **json(listing)}}, errors
            ),
            "post": op(
                "Create a budget (amount, period monthly or annual required)",
                {"201": {"description": "Created", **json(ref("Budget"))}},
                write_errors,
                requestBody=body,
            ),
        },
        f"{org}/budgets/{{budget_id}}": {
            "parameters": [param],
            "get": op("One budget, with its last 12 periods", one, errors),
            "patch": op("Change some fields of a budget", one, write_errors, requestBody=body),
            "delete": op("Delete a budget", {"204": {"description": "Deleted"}}, errors),
        },
    }
