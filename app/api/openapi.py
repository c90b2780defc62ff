"""The OpenAPI 3 document at /api/v1/openapi.json, by hand beside its routes (tested, fuzzed)."""

from __future__ import annotations

from typing import Any

from app.api import openapi_approvals, openapi_budgets, openapi_exports, openapi_recurring
from app.api.openapi_parts import (
    DATE,
    ERRORS,
    ID,
    KIND,
    OK,
    PROBLEM_SCHEMA,
    WRITE_ERRORS,
    body,
    created,
    crud,
    money,
    ok,
    op,
    ref,
)
from app.api.openapi_parts import json as _json
from app.api.openapi_parts import op as _op
from app.api.openapi_parts import ref as _ref
from app.errors import PROBLEM_BASE, PROBLEM_TYPES
from app.queries.filters import PRESETS, SORTS

# _op, _ref, _json, ERRORS and WRITE_ERRORS stay importable here for fragments written against
# the older `paths(org, op, ref, json, errors, write_errors)` signature.
__all__ = ["ERRORS", "WRITE_ERRORS", "_json", "_op", "_ref", "document"]

MONEY = money("12.50")

SCHEMAS: dict[str, Any] = {
    "Problem": PROBLEM_SCHEMA,
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


PART_SCHEMAS = (
    openapi_recurring.SCHEMAS
    | openapi_budgets.SCHEMAS
    | openapi_exports.SCHEMAS
    | openapi_approvals.SCHEMAS
)


def document() -> dict[str, Any]:
    org = "/api/v1/orgs/{slug}"
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    transactions = {
        "get": "List transactions (filtered, keyset-paginated)",
        "post": "Record a transaction",
        "read": "One transaction",
    }
    categories = {
        "get": "All categories, archived included",
        "post": "Create a category",
        "read": "One category",
        "patch": "Rename, recolour or move a category",
    }
    paths: dict[str, Any] = {
        **crud(f"{org}/transactions", "transaction_id", "Transaction", "transaction", transactions),
        f"{org}/transactions/bulk": {
            "post": op(
                "Delete or re-categorise many transactions",
                {"200": OK},
                WRITE_ERRORS,
                requestBody=body("Bulk"),
            )
        },
        **crud(f"{org}/categories", "category_id", "Category", "category", categories),
        f"{org}/payment-methods": {
            "get": op("Payment methods", {"200": OK}, ERRORS),
            "post": op(
                "Add a payment method",
                created("PaymentMethod"),
                WRITE_ERRORS,
                requestBody={
                    "required": True,
                    **_json({"type": "object", "properties": {"name": {"type": "string"}}}),
                },
            ),
        },
        f"{org}/dashboard": {
            "get": op("Balances, this month vs last, spending, 12 months", {"200": OK}, ERRORS)
        },
    }
    # Where a resource differs from crud's: the keyset page of transactions, and categories
    # listed without a schema and deleted (or archived) with a 200.
    paths[f"{org}/transactions"]["get"] = op(
        transactions["get"],
        ok(ref("TransactionPage")),
        {**ERRORS, "422": WRITE_ERRORS["422"]},
        parameters=[{**p, "in": "query"} for p in FILTERS],
    )
    paths[f"{org}/categories"]["get"] = op(categories["get"], {"200": OK}, ERRORS)
    paths[f"{org}/categories/{{category_id}}"]["delete"] = op(
        "Delete a category, or archive it if in use", {"200": OK}, WRITE_ERRORS
    )
    paths["/api/v1/rates"] = {
        "get": op(
            "ECB reference rates against `base` on `date` (latest earlier fix; cross via EUR)",
            {"200": OK},
            {"401": ERRORS["401"], "422": WRITE_ERRORS["422"]},
            parameters=[
                {"name": "base", "in": "query", "schema": {"type": "string"}},
                {"name": "date", "in": "query", "schema": DATE},
            ],
        )
    }
    for fragment in (openapi_recurring, openapi_budgets, openapi_approvals):
        paths.update(fragment.paths(org))
    paths.update(openapi_exports.paths(org, _op, _ref, _json, ERRORS, WRITE_ERRORS, FILTERS))
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
            "schemas": SCHEMAS | PART_SCHEMAS,
            "x-problem-types": {
                PROBLEM_BASE + kind: {"status": status, "description": text}
                for kind, (status, text) in PROBLEM_TYPES.items()
            },
        },
        "paths": paths,
    }
