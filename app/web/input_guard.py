"""One rule for every request: text may not contain a NUL character.

PostgreSQL cannot store NUL in text, and psycopg2 refuses to send it; caught here, before any
view, it is a clear 422 naming the field instead of a 500 from deep in a service.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from app.errors import Invalid

MESSAGE = "This contains a character that is not allowed (NUL)."


def _bad_fields(value: Any, name: str, found: dict[str, str]) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            found[name.replace("\x00", "")[:60] or "body"] = MESSAGE
    elif isinstance(value, dict):
        for key, item in value.items():
            _bad_fields(str(key), "body", found)
            _bad_fields(item, str(key), found)
    elif isinstance(value, list):
        for item in value:
            _bad_fields(item, name, found)


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul() -> None:
        found: dict[str, str] = {}
        for source in (request.args, request.form):
            for key, values in source.lists():
                for value in [key, *values]:
                    _bad_fields(value, key, found)
        if request.is_json:
            _bad_fields(request.get_json(silent=True), "body", found)
        if found:
            raise Invalid(found)
