"""Paths built in a request are kept per app (`OutlayFlask.url_for`); what comes back must be
what Flask builds, under another script name too, for values that are equal but not the same
(1, True, 1.0), query arguments, anchors and lists."""

from __future__ import annotations

import pytest
from flask import Flask

CALLS = [
    ("dashboard.show", {"slug": "acme"}),
    ("transactions.index", {"slug": "acme", "page": 1}),
    ("transactions.index", {"slug": "acme", "page": True}),
    ("transactions.index", {"slug": "acme", "page": 1.0}),
    ("transactions.index", {"slug": "acme", "q": "a b&c", "_anchor": "rows"}),
    ("transactions.show", {"slug": "acme", "transaction_id": 7}),
    ("transactions.index", {"slug": "acme", "tag": ["a", "b"]}),
    ("static", {"filename": "transactions.js"}),
]


@pytest.mark.parametrize("script_name", ["", "/books"])
def test_a_kept_path_is_the_path_flask_builds(app, script_name):
    for _round in range(2):  # the second round answers from what the first kept
        with app.test_request_context("/", base_url=f"https://outlay.test{script_name}"):
            for endpoint, values in CALLS:
                kept = app.url_for(endpoint, **values)
                assert kept == Flask.url_for(app, endpoint, **values), (endpoint, values)
                assert kept.startswith(f"{script_name}/"), kept
    with app.test_request_context("/", base_url="https://outlay.test"):
        assert app.url_for("transactions.index", slug="acme", page=True).endswith("page=True")
        assert app.url_for("transactions.index", slug="acme", page=1).endswith("page=1")
