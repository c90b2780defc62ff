"""The Analytics page hands the person over to the portal with a one-time token in an iframe."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from redis import Redis

from app.services.accounts import portal_tokens
from tests.support.factories import PASSWORD
from tests.support.web import login

IFRAME_SRC = re.compile(r'<iframe[^>]*title="Outlay analytics"[^>]*src="([^"]+)"')


def frame_url(page: str) -> str:
    match = IFRAME_SRC.search(page)
    assert match, "no analytics iframe on the page"
    return html.unescape(match.group(1))


def token_of(url: str) -> str:
    query = parse_qs(urlsplit(url).query)
    assert query["embed"] == ["true"]
    return query["token"][0]


@pytest.fixture
def redis(app):
    client = Redis.from_url(app.config["REDIS_URL"])
    yield client
    client.close()


def verify(app, redis, token):
    return portal_tokens.verify(
        app.config["SECRET_KEY"], token, redis, prefix=app.config["OUTLAY_QUEUE_PREFIX"]
    )


def test_owner_gets_a_one_time_token_naming_them_their_org_and_role(app, client, make, redis):
    owner = make.user()
    org = make.org(owner, "Portal Co")
    login(client, owner.email, PASSWORD)

    response = client.get(f"/o/{org.slug}/analytics")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    url = frame_url(page)
    assert url.startswith(app.config["OUTLAY_PORTAL_URL"] + "/?")
    assert "The analytics portal is not running" in page
    assert f'href="/o/{org.slug}/analytics"' in page  # the nav link and the retry link

    token = token_of(url)
    identity = verify(app, redis, token)
    assert identity == portal_tokens.Identity(owner.id, org.id, org.slug, "owner")
    with pytest.raises(portal_tokens.Refused, match="already been used"):
        verify(app, redis, token)


def test_every_visit_mints_a_fresh_token(app, client, make, redis):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    first = token_of(frame_url(client.get(f"/o/{org.slug}/analytics").get_data(as_text=True)))
    second = token_of(frame_url(client.get(f"/o/{org.slug}/analytics").get_data(as_text=True)))
    assert first != second
    assert verify(app, redis, first).user_id == verify(app, redis, second).user_id == owner.id


def test_a_viewer_gets_a_viewer_token(app, client, make, redis):
    owner = make.user()
    org = make.org(owner)
    viewer = make.user()
    make.member(org, viewer, "viewer")
    login(client, viewer.email, PASSWORD)

    url = frame_url(client.get(f"/o/{org.slug}/analytics").get_data(as_text=True))
    identity = verify(app, redis, token_of(url))
    assert (identity.user_id, identity.org_id, identity.role) == (viewer.id, org.id, "viewer")


def test_a_non_member_gets_404_and_no_token(client, make):
    org = make.org(make.user())
    outsider = make.user()
    make.org(outsider)
    login(client, outsider.email, PASSWORD)
    response = client.get(f"/o/{org.slug}/analytics")
    assert response.status_code == 404
    assert "Outlay analytics" not in response.get_data(as_text=True)


def test_csp_allows_framing_this_origin_by_default(client, make):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    csp = client.get(f"/o/{org.slug}/analytics").headers["Content-Security-Policy"]
    assert "frame-src 'self'" in csp and "frame-ancestors 'self'" in csp


def test_csp_allows_framing_a_portal_on_another_origin(app_factory, make):
    from tests.support.web import https_client

    portal_app = app_factory(OUTLAY_PORTAL_URL="http://127.0.0.1:8501/portal/")
    owner = make.user()
    org = make.org(owner)
    client = https_client(portal_app)
    login(client, owner.email, PASSWORD)
    response = client.get(f"/o/{org.slug}/analytics")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["frame-src"] == "'self' http://127.0.0.1:8501"
    url = frame_url(response.get_data(as_text=True))
    assert url.startswith("http://127.0.0.1:8501/portal/?token=")
