"""Pages that show money or accounts are never cached; static files may be, and the vendored
plotly.js is sent compressed under a versioned URL that browsers keep for a year."""

import gzip
import re

from app.web.assets import PLOTLY
from tests.support.factories import PASSWORD
from tests.support.web import login

# bytes: the basic bundle is 1.1 MB, 0.37 MB compressed; the full one would be 1.46 MB compressed
MAX_ON_THE_WIRE = 450_000


def test_pages_are_not_cached_but_static_files_are(client, make):
    assert client.get("/login").headers["Cache-Control"] == "no-store, private"
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    assert client.get(f"/o/{org.slug}/").headers["Cache-Control"] == "no-store, private"
    static = client.get("/static/outlay.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


def plotly_src(client, make) -> str:
    """The plotly script the dashboard links to."""
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    match = re.search(r'<script src="([^"]*plotly[^"]*)"', page)
    assert match, "the dashboard loads no plotly script"
    return match.group(1)


def test_the_dashboards_plotly_is_compressed_versioned_and_kept_for_a_year(client, make):
    src = plotly_src(client, make)
    response = client.get(src, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    assert len(body) <= MAX_ON_THE_WIRE
    assert gzip.decompress(body) == PLOTLY.read_bytes()  # the whole library, nothing lost
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "public" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
    assert response.headers["Content-Type"].startswith("text/javascript")


def test_plotly_uncompressed_for_a_client_without_gzip_and_old_urls_are_gone(client, make):
    src = plotly_src(client, make)
    plain = client.get(src, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert plain.get_data() == PLOTLY.read_bytes()
    assert client.get("/vendor/plotly-000000000000.min.js").status_code == 404
