"""Domain errors raised by services, and the one place that maps them to HTTP.

HTML requests get a page (or, for Invalid, a flash and the form again where the view catches
it); JSON and /api requests get an RFC 9457 problem document with per-field messages and a
`type` URI per kind of error (PROBLEM_TYPES, listed in the OpenAPI document too).

Every handler rolls the session back before rendering: the page of an error raised by a failed
statement must not fail again on the aborted transaction. A database that cannot be reached
is a 503 with Retry-After, never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

PROBLEM_BASE = "urn:outlay:problem:"
# One `type` per kind of error; a client branches on it, not on the wording of `title`.
PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "bad-request": (400, "The request could not be read."),
    "unauthorized": (401, "No valid API token (or session) was sent."),
    "forbidden": (403, "Your role in this organisation does not allow that."),
    "not-found": (404, "No such organisation or object (or not one you may see)."),
    "method-not-allowed": (405, "This URL does not take that HTTP method."),
    "conflict": (409, "The request contradicts the current state, e.g. a duplicate."),
    "too-large": (413, "The request body is too large."),
    "validation": (422, "Invalid input; `errors` names each bad field."),
    "rate-limited": (429, "Too many requests; wait before trying again."),
    "server-error": (500, "An unexpected error on our side."),
    "unavailable": (503, "A service Outlay needs is unreachable; retry after Retry-After."),
}
_TYPE_BY_STATUS = {status: kind for kind, (status, _) in PROBLEM_TYPES.items()}
RETRY_AFTER_SECONDS = 5


def problem_type(status: int) -> str:
    kind = _TYPE_BY_STATUS.get(status)
    return PROBLEM_BASE + kind if kind else "about:blank"


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
        "type": problem_type(status),
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


def _rollback() -> None:
    from app.extensions import db

    try:
        db.session.rollback()
    except DBAPIError:  # the connection itself is gone; the pool replaces it
        log.warning("rollback failed", exc_info=True)


def _unreachable(error: Exception) -> bool:
    if isinstance(error, OperationalError | InterfaceError | DisconnectionError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _unavailable() -> Any:
    """503 without touching the database: the usual page loads the user and their orgs."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    title, detail = "Service unavailable", "Outlay cannot reach its database. Try again shortly."
    if wants_json():
        response = problem(503, title, detail)
    else:
        response = make_response(
            "<!doctype html><html lang=en><meta charset=utf-8><title>Service unavailable</title>"
            f"<h1>{title}</h1><p>{detail}</p></html>",
            503,
        )
    response.headers.update(headers)
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        _rollback()
        response = _render(error.status, error.title, error.detail, error.errors)
        if error.headers:
            response = make_response(response)
            response.headers.update(error.headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        _rollback()
        response = make_response(_render(error.code, error.name, error.description or error.name))
        for name, value in error.get_headers():
            if name.lower() in {"retry-after", "allow", "www-authenticate"}:
                response.headers[name] = value
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(DisconnectionError)
    def database_error(error: Exception) -> Any:
        _rollback()
        if _unreachable(error):
            log.warning("database unreachable: %s", error)
            return _unavailable()
        raise error  # any other database error is a bug: the 500 below, or the test's traceback

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> Any:
        _rollback()
        original = getattr(error, "original_exception", None)
        if original is not None and _unreachable(original):
            return _unavailable()
        try:
            return _render(500, "Server error", "Something went wrong on our side.")
        except Exception:  # the page needs what just failed: say it plainly
            log.exception("the error page failed")
            return "Server error", 500
