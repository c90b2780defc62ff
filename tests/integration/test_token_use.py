"""A personal API token's use is recorded even when every request only reads, at most every
five minutes, and never inside the request: two requests with one token do not wait for each
other (migration 0017)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import text

from app import clock
from app.extensions import db
from app.services.accounts import api_tokens
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.web import https_client, login


def _last_used(app, user_id: int):
    with app.app_context():
        (token,) = api_tokens.tokens(user_id)
        db.session.rollback()
        return token.last_used_at


def test_a_token_that_only_reads_shows_when_it_was_last_used(app, make, client):
    owner = make.user()
    org = make.org(owner)
    api = Api(client, token_for(app, owner, "Read-only script"), org.slug)
    assert _last_used(app, owner.id) is None

    assert api.get("/transactions").status_code == 200
    first = _last_used(app, owner.id)
    assert first is not None and abs(first - clock.now()) < timedelta(minutes=1)
    assert api.get("/transactions").status_code == 200
    assert _last_used(app, owner.id) == first  # written at most every five minutes

    browser = https_client(app)
    assert login(browser, owner.email, PASSWORD).status_code == 302
    profile = browser.get("/profile").get_data(as_text=True)
    assert f"last used {date.today().isoformat()}" in profile or (
        f"last used {first.date().isoformat()}" in profile
    )


def test_two_requests_with_one_token_do_not_wait_for_each_other(app, make, client):
    """A request of the token is in the middle of its transaction (its lookup done, the tenant
    set); another request of the same token is answered meanwhile, and the first holds no
    lock on the token's row."""
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, amount="5.00", description="Seen by both")
    token = token_for(app, owner)
    api = Api(client, token, org.slug)

    with app.test_request_context():
        access = api_tokens.resolve(token, org.slug)
        assert access is not None and access.org_id == org.id
        locks = db.session.execute(
            text(
                "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid()"
                " AND relation = 'api_tokens'::regclass"
            )
        ).scalars()
        assert set(locks) <= {"AccessShareLock"}

        answered = []
        other = threading.Thread(target=lambda: answered.append(api.get("/transactions")))
        other.start()
        other.join(timeout=15)
        waited = other.is_alive()
        db.session.rollback()  # lets a waiting request go on, so the thread ends either way
        other.join(timeout=30)
    assert not waited, "the second request waited for the first one's transaction"
    assert answered[0].status_code == 200
    assert [i["description"] for i in answered[0].get_json()["items"]] == ["Seen by both"]
