"""The OpenAPI 3 document at /api/v1/openapi.json, by hand beside its routes (tested, fuzzed)."""

from __future__ import annotations

from typing import Any

from app.api import openapi_approvals, openapi_budgets, openapi_recurring
from app.errors import PROBLEM_BASE, PROBLEM_TYPES
from app.queries.filters import PRESETS, SORTS

MONEY = {"type": "string", "pattern": r"^\d{1,15}(\.\d{1,4})?$", "example": "12.50"}
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
KIND = {"type": "string", "enum": ["income", "expense"]}


FRAGMENTS = (openapi_recurring, openapi_budgets, openapi_approvals)  # paths and schemas of each


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


PROBLEM = {"content": {"application/problem+json": {"schema": _ref("Problem")}}}
ERRORS = {
    "401": {"description": "No or bad API token", **PROBLEM},
    "429": {"description": "Too many requests", **PROBLEM},
    "503": {"description": "The database is unreachable; see Retry-After", **PROBLEM},
    "403": {"description": "Your role does not allow this", **PROBLEM},
    "404": {"description": "No such organisation or object", **PROBLEM},
}
WRITE_ERRORS = {
    **ERRORS,
    "400": {"description": "Malformed request", **PROBLEM},
    "409": {"description": "Conflict", **PROBLEM},
    "422": {"description": "Invalid input, per field", **PROBLEM},
}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details; `errors` names each bad field. `type` "
        "says which kind of error it is: "
        + "; ".join(
            f"`{PROBLEM_BASE}{kind}` ({status}): {text}"
            for kind, (status, text) in PROBLEM_TYPES.items()
        ),
        "properties": {
            "type": {
                "type": "string",
                "enum": [*(PROBLEM_BASE + kind for kind in PROBLEM_TYPES), "about:blank"],
                "description": "The kind of error; branch on this, not on `title`.",
            },
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
        "required": ["title", "status"],
    },
    "TransactionInput": {
        "type": "object",
        "properties": {
            "kind": KIND,
            "date": {"type": "string", "format": "date"},
            "amount": MONEY,
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "category_id": ID,
            "description": {"type": "string", "maxLength": 200},
            "payment_method_id": {**ID, "nullable": True},
            "notes": {"type": "string", "maxLength": 2000},
            "tags": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 40}},
            "rate": {
                "type": "string",
                "pattern": r"^\d{1,10}(\.\d{1,10})?$",
                "description": "Override: units of base currency per 1 unit of `currency`",
            },
            "paid_personally": {"type": "boolean"},
        },
        "additionalProperties": False,
    },
    "Transaction": {
        "type": "object",
        "properties": {
            "id": ID,
            "kind": KIND,
            "date": {"type": "string", "format": "date"},
            "amount": MONEY,
            "currency": {"type": "string"},
            "rate": {"type": "string"},
            "rate_date": {"type": "string", "format": "date", "nullable": True},
            "rate_source": {"type": "string", "enum": ["base", "ecb", "override"]},
            "base_amount": MONEY,
            "category_id": ID,
            "description": {"type": "string"},
            "payment_method_id": {**ID, "nullable": True},
            "notes": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "status": {"type": "string", "enum": ["posted", "pending", "rejected"]},
            **openapi_approvals.TRANSACTION_FIELDS,
            "created_by": {"type": "integer", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "TransactionPage": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("Transaction")},
            "next_cursor": {"type": "string", "nullable": True},
            "limit": {"type": "integer"},
        },
    },
    "CategoryInput": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": 60},
            "kind": KIND,
            "parent_id": {**ID, "nullable": True},
            "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
            "icon": {"type": "string", "pattern": "^[a-z0-9-]{1,32}$"},
        },
    },
    "Category": {
        "type": "object",
        "properties": {
            "id": ID,
            "kind": KIND,
            "name": {"type": "string"},
            "parent_id": {**ID, "nullable": True},
            "color": {"type": "string"},
            "icon": {"type": "string"},
            "archived": {"type": "boolean"},
        },
    },
    "PaymentMethod": {
        "type": "object",
        "properties": {"id": ID, "name": {"type": "string"}, "archived": {"type": "boolean"}},
    },
    "Bulk": {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": ["delete", "recategorise"]},
            "ids": {"type": "array", "items": ID, "maxItems": 500},
            "category_id": ID,
        },
        "required": ["action", "ids"],
    },
}

FILTERS = [
    {"name": "preset", "schema": {"type": "string", "enum": list(PRESETS)}},
    {"name": "from", "schema": {"type": "string", "format": "date"}},
    {"name": "to", "schema": {"type": "string", "format": "date"}},
    {"name": "kind", "schema": KIND},
    {"name": "category", "schema": ID, "description": "A category and its children"},
    {"name": "min", "schema": MONEY},
    {"name": "max", "schema": MONEY},
    {"name": "method", "schema": ID, "description": "Payment method id"},
    {"name": "tag", "schema": {"type": "string"}},
    {"name": "created_by", "schema": {"type": "integer"}},
    {"name": "q", "schema": {"type": "string"}, "description": "Words in description/notes"},
    {"name": "sort", "schema": {"type": "string", "enum": list(SORTS)}},
    {"name": "limit", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
    {"name": "cursor", "schema": {"type": "string"}, "description": "next_cursor of a page"},
]


def _op(summary: str, response: dict[str, Any], errors: dict[str, Any], **extra: Any) -> Any:
    return {"summary": summary, "responses": {**response, **errors}, **extra}


def _param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def document() -> dict[str, Any]:
    org = "/api/v1/orgs/{slug}"
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    ok = {"description": "OK"}
    paths: dict[str, Any] = {
        f"{org}/transactions": {
            "get": _op(
                "List transactions (filtered, keyset-paginated)",
                {"200": {**ok, **_json(_ref("TransactionPage"))}},
                {**ERRORS, "422": WRITE_ERRORS["422"]},
                parameters=[{**p, "in": "query"} for p in FILTERS],
            ),
            "post": _op(
                "Record a transaction",
                {"201": {"description": "Created", **_json(_ref("Transaction"))}},
                WRITE_ERRORS,
                requestBody={"required": True, **_json(_ref("TransactionInput"))},
            ),
        },
        f"{org}/transactions/{{transaction_id}}": {
            "parameters": [_param("transaction_id")],
            "get": _op("One transaction", {"200": {**ok, **_json(_ref("Transaction"))}}, ERRORS),
            "patch": _op(
                "Change some fields of a transaction",
                {"200": {**ok, **_json(_ref("Transaction"))}},
                WRITE_ERRORS,
                requestBody={"required": True, **_json(_ref("TransactionInput"))},
            ),
            "delete": _op("Delete a transaction", {"204": {"description": "Deleted"}}, ERRORS),
        },
        f"{org}/transactions/bulk": {
            "post": _op(
                "Delete or re-categorise many transactions",
                {"200": ok},
                WRITE_ERRORS,
                requestBody={"required": True, **_json(_ref("Bulk"))},
            )
        },
        f"{org}/categories": {
            "get": _op("All categories, archived included", {"200": ok}, ERRORS),
            "post": _op(
                "Create a category",
                {"201": {"description": "Created", **_json(_ref("Category"))}},
                WRITE_ERRORS,
                requestBody={"required": True, **_json(_ref("CategoryInput"))},
            ),
        },
        f"{org}/categories/{{category_id}}": {
            "parameters": [_param("category_id")],
            "get": _op("One category", {"200": {**ok, **_json(_ref("Category"))}}, ERRORS),
            "patch": _op(
                "Rename, recolour or move a category",
                {"200": {**ok, **_json(_ref("Category"))}},
                WRITE_ERRORS,
                requestBody={"required": True, **_json(_ref("CategoryInput"))},
            ),
            "delete": _op("Delete a category, or archive it if in use", {"200": ok}, WRITE_ERRORS),
        },
        f"{org}/payment-methods": {
            "get": _op("Payment methods", {"200": ok}, ERRORS),
            "post": _op(
                "Add a payment method",
                {"201": {"description": "Created", **_json(_ref("PaymentMethod"))}},
                WRITE_ERRORS,
                requestBody={
                    "required": True,
                    **_json({"type": "object", "properties": {"name": {"type": "string"}}}),
                },
            ),
        },
        f"{org}/dashboard": {
            "get": _op("Balances, this month vs last, spending, 12 months", {"200": ok}, ERRORS)
        },
    }
    paths["/api/v1/rates"] = {
        "get": _op(
            "ECB reference rates against `base` on `date` (latest earlier fix; cross via EUR)",
            {"200": ok},
            {"401": ERRORS["401"], "422": WRITE_ERRORS["422"]},
            parameters=[
                {"name": "base", "in": "query", "schema": {"type": "string"}},
                {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
            ],
        )
    }
    for fragment in FRAGMENTS:
        paths.update(fragment.paths(org, _op, _ref, _json, ERRORS, WRITE_ERRORS))
    for path, item in paths.items():
        if path.startswith(org):
            item.setdefault("parameters", []).insert(0, slug)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Outlay API",
            "version": "1",
            "description": "Amounts are decimal strings. Errors are RFC 9457 problem details.",
        },
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from your profile page",
                }
            },
            "schemas": SCHEMAS | {k: v for f in FRAGMENTS for k, v in f.SCHEMAS.items()},
            "x-problem-types": {
                PROBLEM_BASE + kind: {"status": status, "description": text}
                for kind, (status, text) in PROBLEM_TYPES.items()
            },
        },
        "paths": paths,
    }
