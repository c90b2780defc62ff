"""Active filters as removable chips: each names a filter and links to the page without it."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request


def url_without(*names: str) -> str:
    """This page's URL with the query arguments `names` (and the page cursor) dropped."""
    dropped = {*names, "cursor"}
    kept = [(key, value) for key, value in request.args.items(multi=True) if key not in dropped]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


def init_app(app: Flask) -> None:
    app.add_template_global(url_without)
