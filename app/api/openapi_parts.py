"""The pieces every OpenAPI fragment is built from: the shared schemas (id, money, date), the
error responses, and `crud` for a resource's list, create, read, change and delete paths."""

from __future__ import annotations

from typing import Any

from app.errors import PROBLEM_BASE, PROBLEM_TYPES

ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
DATE = {"type": "string", "format": "date"}
KIND = {"type": "string", "enum": ["income", "expense"]}
OK = {"description": "OK"}
DELETED = {"204": {"description": "Deleted"}}


def money(example: str) -> dict[str, Any]:
    """A decimal string amount (never a JSON number), with an example for the resource."""
    return {"type": "string", "pattern": r"^\d{1,15}(\.\d{1,4})?$", "example": example}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def list_of(schema: dict[str, Any]) -> dict[str, Any]:
    """The body of a list endpoint: {"items": [...]}."""
    return {"type": "object", "properties": {"items": {"type": "array", "items": schema}}}


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {**OK, **json(schema)}}


def created(name: str) -> dict[str, Any]:
    return {"201": {"description": "Created", **json(ref(name))}}


def body(name: str) -> dict[str, Any]:
    return {"required": True, **json(ref(name))}


def path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


PROBLEM = {"content": {"application/problem+json": {"schema": ref("Problem")}}}
ERRORS = {
    "401": {"description": "No or bad API token", **PROBLEM},
    "429": {"description": "Too many requests", **PROBLEM},
    "503": {"description": "The database is unreachable; see Retry-After", **PROBLEM},
    "403": {"description": "Your role does not allow this", **PROBLEM},
    "404": {"description": "No such organisation or object", **PROBLEM},
}
# A multipart body with one file, field `file` (receipts, archive imports).
UPLOAD = {
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
TOO_LARGE = {"413": {"description": "The file is over the size limit"}}
WRITE_ERRORS = {
    **ERRORS,
    "400": {"description": "Malformed request", **PROBLEM},
    "409": {"description": "Conflict", **PROBLEM},
    "422": {"description": "Invalid input, per field", **PROBLEM},
}
PROBLEM_SCHEMA: dict[str, Any] = {
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
}


def op(summary: str, response: dict[str, Any], errors: dict[str, Any], **extra: Any) -> Any:
    return {"summary": summary, "responses": {**response, **errors}, **extra}


def crud(
    collection: str,
    param: str,
    schema: str,
    noun: str,
    summaries: dict[str, str],
    patch_schema: str | None = None,
) -> dict[str, Any]:
    """The two paths of a resource listed as {"items": [...]}: `collection` (list, create) and
    `collection/{param}` (read, change some fields, delete). `summaries` by method: get, post,
    read, and patch and delete when they say more than "Change some fields of a <noun>"."""
    summaries = {
        "patch": f"Change some fields of a {noun}",
        "delete": f"Delete a {noun}",
        **summaries,
    }
    one = ok(ref(schema))
    return {
        collection: {
            "get": op(summaries["get"], ok(list_of(ref(schema))), ERRORS),
            "post": op(
                summaries["post"], created(schema), WRITE_ERRORS, requestBody=body(f"{schema}Input")
            ),
        },
        f"{collection}/{{{param}}}": {
            "parameters": [path_param(param)],
            "get": op(summaries["read"], one, ERRORS),
            "patch": op(
                summaries["patch"],
                one,
                WRITE_ERRORS,
                requestBody=body(patch_schema or f"{schema}Input"),
            ),
            "delete": op(summaries["delete"], DELETED, ERRORS),
        },
    }
