"""The OpenAPI paths and schemas of exports, export jobs, reports and the archive (merged by
openapi.py)."""

from __future__ import annotations

from typing import Any

from app.api.openapi_parts import TOO_LARGE, UPLOAD

ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
DATE = {"type": "string", "format": "date"}
FILE = {
    "description": "The file",
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}
        },
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/zip": {"schema": {"type": "string", "format": "binary"}},
    },
}
SCHEMAS: dict[str, Any] = {
    "Export": {
        "type": "object",
        "properties": {
            "id": ID,
            "kind": {"type": "string", "enum": ["transactions", "report", "archive"]},
            "format": {"type": "string", "enum": ["csv", "xlsx", "pdf", "zip"]},
            "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
            "rows": {"type": "integer", "nullable": True},
            "file_name": {"type": "string"},
            "size": {"type": "integer", "nullable": True},
            "sha256": {"type": "string", "nullable": True},
            "error": {"type": "string", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "expires_at": {"type": "string", "format": "date-time"},
            "download_url": {
                "type": "string",
                "nullable": True,
                "description": "Set once the file is ready; works until expires_at",
            },
        },
    },
    "ArchiveImport": {
        "type": "object",
        "properties": {
            "id": ID,
            "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "step": {"type": "string"},
            "error": {"type": "string", "nullable": True, "description": "Why it was refused"},
            "file_name": {"type": "string"},
            "size": {"type": "integer"},
            "counts": {"type": "object", "nullable": True, "description": "Rows per table"},
            "created_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
    "Report": {
        "type": "object",
        "properties": {
            "report": {"type": "string"},
            "title": {"type": "string"},
            "currency": {"type": "string"},
            "period": {"type": "object"},
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "object"}},
            "footnotes": {"type": "array", "items": {"type": "string"}},
        },
    },
}
EXPORT_OPTIONS = [
    {"name": "format", "schema": {"type": "string", "enum": ["csv", "xlsx", "pdf"]}},
    {"name": "delimiter", "schema": {"type": "string", "enum": ["comma", "semicolon"]}},
    {"name": "decimal", "schema": {"type": "string", "enum": ["point", "comma"]}},
]
PERIOD = [
    {
        "name": "period",
        "schema": {"type": "string", "enum": ["month", "quarter", "year", "custom"]},
    },
    {"name": "on", "schema": DATE, "description": "A day in the period (default today)"},
    {"name": "from", "schema": DATE, "description": "custom: the first day"},
    {"name": "to", "schema": DATE, "description": "custom: the last day"},
    {"name": "format", "schema": {"type": "string", "enum": ["json", "pdf", "xlsx"]}},
]
REPORTS = ["profit-and-loss", "budget-vs-actual", "spending-by-member"]


def paths(
    org: str, op: Any, ref: Any, json: Any, errors: Any, write_errors: Any, filters: list[Any]
) -> Any:
    job = {"202": {"description": "Started as a job; poll Location", **json(ref("Export"))}}
    invalid = {**errors, "422": write_errors["422"]}
    export_id = {"name": "export_id", "in": "path", "required": True, "schema": ID}
    query = [{**p, "in": "query"} for p in filters if p["name"] not in ("limit", "cursor")]
    return {
        f"{org}/transactions/export": {
            "get": op(
                "The filtered list as a file (the list's filters); a large one starts a job",
                {"200": FILE, **job},
                invalid,
                parameters=query + [{**p, "in": "query"} for p in EXPORT_OPTIONS],
            )
        },
        f"{org}/exports/{{export_id}}": {
            "parameters": [export_id],
            "get": op("An export job of yours", {"200": json(ref("Export"))}, errors),
        },
        f"{org}/exports/{{export_id}}/file": {
            "parameters": [export_id],
            "get": op("Its file, while the link lasts", {"200": FILE}, errors),
        },
        f"{org}/archive": {
            "post": op("Archive the whole org (owners): starts a job", job, errors),
        },
        f"{org}/archive/import": {
            "post": op(
                "Import an archive into this new org (owners): starts a job",
                {"202": {"description": "Started; poll Location", **json(ref("ArchiveImport"))}},
                {**invalid, **TOO_LARGE},
                requestBody=UPLOAD,
            ),
        },
        f"{org}/archive/import/{{import_id}}": {
            "parameters": [{"name": "import_id", "in": "path", "required": True, "schema": ID}],
            "get": op(
                "The import job: status, progress, error",
                {"200": json(ref("ArchiveImport"))},
                errors,
            ),
        },
        f"{org}/archive/{{export_id}}": {
            "parameters": [export_id],
            "get": op(
                "The archive job (as exports/{export_id})", {"200": json(ref("Export"))}, errors
            ),
        },
        **{
            f"{org}/reports/{name}": {
                "get": op(
                    f"The {name.replace('-', ' ')} report for a period (financial years)",
                    {"200": {"description": "OK", **json(ref("Report"))}},
                    invalid,
                    parameters=[{**p, "in": "query"} for p in PERIOD],
                )
            }
            for name in REPORTS
        },
    }
