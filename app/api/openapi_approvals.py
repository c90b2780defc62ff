"""The OpenAPI paths and schemas of approvals and receipts (merged by openapi.py)."""

from __future__ import annotations

from typing import Any

from app.api.openapi_parts import (
    DELETED,
    ERRORS,
    ID,
    OK,
    WRITE_ERRORS,
    body,
    created,
    json,
    list_of,
    ok,
    op,
    path_param,
    ref,
)
from app.api.openapi_parts import money as _money

MONEY = _money("75.00")
OPTIONAL_MONEY = {**MONEY, "nullable": True}
STATES = ["draft", "submitted", "approved", "rejected", "returned"]

# Added to the Transaction schema.
TRANSACTION_FIELDS: dict[str, Any] = {
    "approval_state": {"type": "string", "enum": STATES},
    "paid_personally": {"type": "boolean", "description": "Paid out of one's own pocket"},
    "reimbursed_at": {"type": "string", "format": "date", "nullable": True},
}
POLICY = {
    "members_need_approval": {"type": "boolean"},
    "approval_amount": OPTIONAL_MONEY,
    "always_category_ids": {"type": "array", "items": ID},
    "accountant_limit": OPTIONAL_MONEY,
    "two_step_amount": OPTIONAL_MONEY,
    "receipt_amount": {**OPTIONAL_MONEY, "description": "0: always; null: never"},
    "digest_days": {"type": "integer", "minimum": 1, "maximum": 90},
}
SCHEMAS: dict[str, Any] = {
    "TrashItem": {
        "type": "object",
        "properties": {
            "id": ID,
            "date": {"type": "string", "format": "date"},
            "kind": {"type": "string", "enum": ["income", "expense"]},
            "description": {"type": "string"},
            "amount": MONEY,
            "currency": {"type": "string"},
            "trashed_at": {"type": "string", "format": "date-time"},
            "purge_after": {"type": "string", "format": "date-time"},
        },
    },
    "ApprovalPolicy": {"type": "object", "properties": POLICY},
    "ApprovalPolicyInput": {"type": "object", "properties": POLICY, "additionalProperties": False},
    "HistoryEntry": {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "action": {"type": "string", "example": "approval.approved"},
            "actor_id": {"type": "integer", "nullable": True},
            "actor": {"type": "string", "nullable": True},
            "state": {"type": "string", "nullable": True},
            "comment": {"type": "string", "nullable": True},
        },
    },
    "QueueItem": {
        "type": "object",
        "properties": {
            "id": ID,
            "date": {"type": "string", "format": "date"},
            "description": {"type": "string"},
            "amount": MONEY,
            "currency": {"type": "string"},
            "base_amount": MONEY,
            "category_id": ID,
            "category": {"type": "string"},
            "created_by": {"type": "integer", "nullable": True},
            "person": {"type": "string", "nullable": True},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
            "second_step": {"type": "boolean", "description": "Has its first of two approvals"},
            "receipt_id": {**ID, "nullable": True},
        },
    },
    "Receipt": {
        "type": "object",
        "properties": {
            "id": ID,
            "transaction_id": ID,
            "filename": {"type": "string"},
            "content_type": {"type": "string"},
            "size": {"type": "integer"},
            "thumbnail": {"type": "boolean"},
            "reading_status": {
                "type": "string",
                "enum": ["none", "pending", "read", "failed"],
                "description": "Receipt reading (Tesseract on the worker): none (not read: "
                "HEIC, or no queue), pending, read, failed",
            },
            "proposed": {
                "type": "object",
                "nullable": True,
                "description": "What the receipt reads as, once read; suggestions only, "
                "never applied to the transaction",
                "properties": {
                    "date": {"type": "string", "format": "date", "nullable": True},
                    "total": {**MONEY, "nullable": True},
                    "currency": {"type": "string", "nullable": True},
                    "merchant": {"type": "string", "nullable": True},
                },
            },
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
}


def paths(org: str) -> Any:
    txn = ok(ref("Transaction"))
    param = path_param("transaction_id")

    def text_body(name: str) -> dict[str, Any]:
        schema = {"type": "object", "properties": {name: {"type": "string", "maxLength": 500}}}
        return {"required": False, **json(schema)}

    def transition(summary: str, **extra: Any) -> dict[str, Any]:
        return {"parameters": [param], "post": op(summary, txn, WRITE_ERRORS, **extra)}

    base = f"{org}/transactions/{{transaction_id}}"
    upload = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
    too_large = {"413": {"description": "The file is over the size limit"}}
    return {
        f"{base}/submit": transition("Submit a draft or returned expense (the submitter)"),
        f"{base}/withdraw": transition("Withdraw a submitted expense back to draft"),
        f"{base}/approve": transition("Approve (one step of two above the second amount)"),
        f"{base}/reject": transition(
            "Reject; a reason is required", requestBody=text_body("reason")
        ),
        f"{base}/return": transition(
            "Return for changes; a comment is required", requestBody=text_body("comment")
        ),
        f"{base}/history": {
            "parameters": [param],
            "get": op("The timeline", ok(list_of(ref("HistoryEntry"))), ERRORS),
        },
        f"{base}/receipts": {
            "parameters": [param],
            "get": op("The receipts", ok(list_of(ref("Receipt"))), ERRORS),
            "post": op(
                "Attach a receipt (JPEG, PNG, WebP, HEIC/HEIF or PDF; typed by content)",
                created("Receipt"),
                {**WRITE_ERRORS, **too_large},
                requestBody=upload,
            ),
        },
        f"{org}/receipts/{{receipt_id}}": {
            "parameters": [path_param("receipt_id")],
            "get": op("The receipt's file (an attachment)", {"200": OK}, ERRORS),
            "delete": op("Remove a receipt", DELETED, ERRORS),
        },
        f"{org}/approvals": {
            "get": op(
                "What the caller may approve, oldest first",
                ok(list_of(ref("QueueItem"))),
                {**ERRORS, "422": WRITE_ERRORS["422"]},
                parameters=[
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in ("person", "category", "min", "max")
                ],
            )
        },
        f"{org}/trash": {
            "get": op(
                "Deleted transactions (owners, accountants), newest first",
                ok(list_of(ref("TrashItem"))),
                ERRORS,
            )
        },
        f"{base}/restore": transition("Restore a deleted transaction from the trash"),
        f"{org}/approval-policy": {
            "get": op("The org's approval policy", ok(ref("ApprovalPolicy")), ERRORS),
            "put": op(
                "Change the approval policy (owners)",
                ok(ref("ApprovalPolicy")),
                WRITE_ERRORS,
                requestBody=body("ApprovalPolicyInput"),
            ),
        },
    }
