"""Pages that show money or accounts are never cached; static files may be."""

from tests.conftest import PASSWORD
from tests.support.web import login


def test_pages_are_not_cached_but_static_files_are(client, make):
    assert client.get("/login").headers["Cache-Control"] == "no-store, private"
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    assert client.get(f"/o/{org.slug}/").headers["Cache-Control"] == "no-store, private"
    static = client.get("/static/outlay.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    plotly = client.get("/vendor/plotly.min.js")
    assert "max-age" in plotly.headers["Cache-Control"]
