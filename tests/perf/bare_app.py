"""The baseline for the API benchmark: a bare Flask app serving one captured JSON body.

Same URL, same bytes, same gunicorn config as the real endpoint; no auth, no database.
`OUTLAY_BENCH_JSON` names the file holding the body the API returned.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

BODY = Path(os.environ["OUTLAY_BENCH_JSON"]).read_bytes()

app = Flask(__name__)


@app.get("/api/v1/orgs/<slug>/transactions")
def transactions(slug: str) -> Response:
    del slug
    return Response(BODY, mimetype="application/json")
