"""The OpenAPI paths and schemas of approvals and receipts (merged by openapi.py)."""

from __future__ import annotations

from typing import Any

MONEY = {"type": "string", "pattern": r"^\d{1,15}(\.\d{1,4})?$", "example": "75.00"}
OPTIONAL_MONEY = {**MONEY, "nullable": True}
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
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
            "reading_status": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
}


def _items(ref: Any, name: str) -> dict[str, Any]:
    return {"type": "object", "properties": {"items": {"type": "array", "items": ref(name)}}}


def paths(org: str, op: Any, ref: Any, json: Any, errors: Any, write_errors: Any) -> Any:
    ok = {"description": "OK"}
    txn = {"200": {**ok, **json(ref("Transaction"))}}
    param = {"name": "transaction_id", "in": "path", "required": True, "schema": ID}
    receipt_param = {"name": "receipt_id", "in": "path", "required": True, "schema": ID}

    def text_body(name: str) -> dict[str, Any]:
        schema = {"type": "object", "properties": {name: {"type": "string", "maxLength": 500}}}
        return {"required": False, **json(schema)}

    def transition(summary: str, **extra: Any) -> dict[str, Any]:
        return {"parameters": [param], "post": op(summary, txn, write_errors, **extra)}

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
            "get": op("The timeline", {"200": {**ok, **json(_items(ref, "HistoryEntry"))}}, errors),
        },
        f"{base}/receipts": {
            "parameters": [param],
            "get": op("The receipts", {"200": {**ok, **json(_items(ref, "Receipt"))}}, errors),
            "post": op(
                "Attach a receipt (JPEG, PNG, WebP, HEIC/HEIF or PDF; typed by content)",
                {"201": {"description": "Created", **json(ref("Receipt"))}},
                {**write_errors, **too_large},
                requestBody=upload,
            ),
        },
        f"{org}/receipts/{{receipt_id}}": {
            "parameters": [receipt_param],
            "get": op("The receipt's file (an attachment)", {"200": ok}, errors),
            "delete": op("Remove a receipt", {"204": {"description": "Deleted"}}, errors),
        },
        f"{org}/approvals": {
            "get": op(
                "What the caller may approve, oldest first",
                {"200": {**ok, **json(_items(ref, "QueueItem"))}},
                {**errors, "422": write_errors["422"]},
                parameters=[
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in ("person", "category", "min", "max")
                ],
            )
        },
        f"{org}/approval-policy": {
            "get": op(
                "The org's approval policy", {"200": {**ok, **json(ref("ApprovalPolicy"))}}, errors
            ),
            "put": op(
                "Change the approval policy (owners)",
                {"200": {**ok, **json(ref("ApprovalPolicy"))}},
                write_errors,
                requestBody={"required": True, **json(ref("ApprovalPolicyInput"))},
            ),
        },
    }
