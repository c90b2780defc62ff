"""URL converters. Ids in URLs stop at PostgreSQL's bigint, so a huge id is a 404, not a 500."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

BIGINT_MAX = 2**63 - 1


class IdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", BIGINT_MAX)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Replace `int` before any blueprint adds a rule that uses it."""
    app.url_map.converters["int"] = IdConverter
