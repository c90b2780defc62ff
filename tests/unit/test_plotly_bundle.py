"""The dashboard's plotly.js (issue 11.11): the vendored basic bundle, a quarter of the full
one, of the same plotly.js version as the plotly package, with every chart type the dashboard
draws."""

from __future__ import annotations

import re
from pathlib import Path

import plotly

from app.web.assets import PLOTLY

FULL = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
DASHBOARD_JS = Path(__file__).resolve().parents[2] / "app" / "static" / "dashboard.js"
BASIC_TYPES = {"scatter", "bar", "pie"}  # what plotly's basic bundle registers


def version(path: Path) -> str:
    head = path.read_bytes()[:300].decode()
    match = re.search(r"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)", head)
    assert match, f"no plotly.js version in the header of {path}"
    return match.group(1)


def test_the_dashboard_gets_the_basic_bundle_of_the_packages_version():
    assert "(basic - minified)" in PLOTLY.read_bytes()[:200].decode()
    assert version(PLOTLY) == version(FULL)  # the portal's figures and ours agree
    assert PLOTLY.stat().st_size * 3 < FULL.stat().st_size
    assert (PLOTLY.parent / "plotly-basic.LICENSE").read_text().startswith("MIT License")


def test_the_dashboard_draws_only_chart_types_the_bundle_has():
    used = set(re.findall(r'\btype:\s*"(\w+)"', DASHBOARD_JS.read_text()))
    traces = used - {"category", "linear", "date", "log"}  # axis types, not traces
    assert traces and traces <= BASIC_TYPES, traces
