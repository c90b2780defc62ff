"""The OpenAPI paths and schemas of /api/v1/orgs/{slug}/recurring (merged by openapi.py)."""

from __future__ import annotations

from typing import Any

from app.api.openapi_parts import DATE, ID, crud, money

MONEY = money("120.00")
FREQUENCY = {"type": "string", "enum": ["daily", "weekly", "monthly", "yearly"]}

RULE_FIELDS: dict[str, Any] = {
    "kind": {"type": "string", "enum": ["income", "expense"]},
    "amount": MONEY,
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "The base currency"},
    "category_id": ID,
    "description": {"type": "string", "maxLength": 200},
    "payment_method_id": {**ID, "nullable": True},
    "tags": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 40}},
    "frequency": FREQUENCY,
    "interval": {"type": "integer", "minimum": 1, "maximum": 99, "default": 1},
    "weekday": {"type": "integer", "minimum": 0, "maximum": 6, "nullable": True},
    "month_day": {
        "type": "integer",
        "minimum": -1,
        "maximum": 31,
        "nullable": True,
        "description": "1-31 (29-31 fall on a shorter month's last day); -1 the last day",
    },
    "month": {"type": "integer", "minimum": 1, "maximum": 12, "nullable": True},
    "start_date": DATE,
    "end_date": {**DATE, "nullable": True},
    "count": {"type": "integer", "minimum": 1, "maximum": 10000, "nullable": True},
    "is_bill": {"type": "boolean"},
    "remind_days_before": {"type": "integer", "minimum": 0, "maximum": 60, "default": 3},
}

SCHEMAS: dict[str, Any] = {
    "RecurringRuleInput": {
        "type": "object",
        "properties": RULE_FIELDS,
        "additionalProperties": False,
    },
    "RecurringRulePatch": {
        "type": "object",
        "properties": {**RULE_FIELDS, "paused": {"type": "boolean"}},
        "additionalProperties": False,
    },
    "RecurringRule": {
        "type": "object",
        "properties": {
            "id": ID,
            **RULE_FIELDS,
            "paused": {"type": "boolean"},
            "posted_through": {**DATE, "nullable": True},
            "skipped": {"type": "array", "items": DATE},
            "next_occurrences": {"type": "array", "items": DATE},
        },
    },
}


def paths(org: str) -> dict[str, Any]:
    summaries = {
        "get": "Recurring rules",
        "post": "Create a recurring rule",
        "read": "One recurring rule, with its next occurrences",
        "patch": "Change a rule (future occurrences only); `paused` pauses or resumes it",
        "delete": "Delete a rule (its posted transactions stay)",
    }
    return crud(
        f"{org}/recurring", "rule_id", "RecurringRule", "rule", summaries, "RecurringRulePatch"
    )
