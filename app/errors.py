"""Domain errors raised by services, and the one place that maps them to HTTP.

HTML requests get a page (or, for Invalid, a flash and the form again where the view catches
it); JSON and /api requests get an RFC 9457 problem document with per-field messages.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status = 400
    title = "Bad request"
    headers: dict[str, str] = {}

    def __init__(self, detail: str = "", errors: dict[str, str] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or {}


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Invalid(DomainError):
    """Bad input; `errors` maps each field name to its message."""

    status = 422
    title = "Invalid input"

    def __init__(self, errors: dict[str, str], detail: str = "") -> None:
        super().__init__(detail or "; ".join(f"{k}: {v}" for k, v in errors.items()), errors)


class Conflict(DomainError):
    status = 409
    title = "Conflict"


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def problem(status: int, title: str, detail: str, errors: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": k, "message": v} for k, v in errors.items()]
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _render(status: int, title: str, detail: str, errors: dict[str, str] | None = None) -> Any:
    if wants_json():
        return problem(status, title, detail, errors)
    return render_template(
        "errors/error.html", status=status, title=title, detail=detail, errors=errors or {}
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        from app.extensions import db

        db.session.rollback()
        response = _render(error.status, error.title, error.detail, error.errors)
        if error.headers:
            response = make_response(response)
            response.headers.update(error.headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        return _render(error.code, error.name, error.description or error.name)
