"""The OpenAPI paths and schemas of /api/v1/orgs/{slug}/recurring (merged by openapi.py)."""

from __future__ import annotations

from typing import Any

DATE = {"type": "string", "format": "date"}
MONEY = {"type": "string", "pattern": r"^\d{1,15}(\.\d{1,4})?$", "example": "120.00"}
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
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


def paths(org: str, op: Any, ref: Any, json: Any, errors: Any, write_errors: Any) -> Any:
    ok = {"description": "OK"}
    rule = {"200": {**ok, **json(ref("RecurringRule"))}}
    param = {"name": "rule_id", "in": "path", "required": True, "schema": ID}
    listing = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": ref("RecurringRule")}},
    }
    return {
        f"{org}/recurring": {
            "get": op("Recurring rules", {"200": {**ok, **json(listing)}}, errors),
            "post": op(
                "Create a recurring rule",
                {"201": {"description": "Created", **json(ref("RecurringRule"))}},
                write_errors,
                requestBody={"required": True, **json(ref("RecurringRuleInput"))},
            ),
        },
        f"{org}/recurring/{{rule_id}}": {
            "parameters": [param],
            "get": op("One recurring rule, with its next occurrences", rule, errors),
            "patch": op(
                "Change a rule (future occurrences only); `paused` pauses or resumes it",
                rule,
                write_errors,
                requestBody={"required": True, **json(ref("RecurringRulePatch"))},
            ),
            "delete": op(
                "Delete a rule (its posted transactions stay)",
                {"204": {"description": "Deleted"}},
                errors,
            ),
        },
    }
