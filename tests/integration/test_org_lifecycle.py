"""An owner deletes the org (typed name, export offer, grace period, purge) or hands it over."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool, text

from app.config import sqlalchemy_url
from tests.support.accounts import alerts, page_text
from tests.support.factories import PASSWORD
from tests.support.web import login, post_form


def _owner_sql(owner_url: str, sql: str, **params):
    engine = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


def _rows_of(owner_url: str, org_id: int) -> dict[str, int]:
    tables = [
        r[0]
        for r in _owner_sql(
            owner_url,
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'org_id' "
            "AND table_schema = 'public' AND table_name IN (SELECT table_name FROM "
            "information_schema.tables WHERE table_type = 'BASE TABLE')",
        )
    ]
    return {
        t: _owner_sql(owner_url, f"SELECT count(*) FROM {t} WHERE org_id = :o", o=org_id)[0][0]
        for t in tables
    }


@pytest.fixture(autouse=True)
def worker_app(app):
    from workers import runtime

    runtime.use_app(app)  # the purge job runs in the worker's app, as under `rq worker`


def test_the_purge_is_a_periodic_job():
    from workers.periodic import PERIODIC

    assert "workers.jobs.orgs.purge_deleted_orgs" in [path for path, _queue, _every in PERIODIC]


def test_owner_deletes_after_typing_the_name_and_the_purge_waits_for_the_grace_period(
    app, make, client, new_client, owner_url
):
    from workers.jobs.orgs import purge_deleted_orgs

    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    make.transaction(org, owner, amount="12.00")
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/delete")
    assert page.status_code == 200
    # The export offer: the whole org's archive, one click before the typed confirmation.
    offer = page.get_data(as_text=True)
    assert f'action="/o/{org.slug}/archive"' in offer
    assert offer.index(f'action="/o/{org.slug}/archive"') < offer.index('name="confirm_name"')
    archived = post_form(client, f"/o/{org.slug}/archive", token_from=f"/o/{org.slug}/delete")
    assert archived.status_code == 302 and archived.location.endswith(f"/o/{org.slug}/exports")
    path = f"/o/{org.slug}/delete"
    wrong = post_form(client, path, {"confirm_name": org.name + "x"}, token_from=path)
    assert wrong.status_code == 422 and "exactly" in page_text(wrong)
    assert _rows_of(owner_url, org.id)["transactions"] == 1
    done = post_form(
        client, path, {"confirm_name": f" {org.name} "}, token_from=path, follow_redirects=True
    )
    assert any("will be deleted on" in a for a in alerts(done)), alerts(done)
    # Closed to the member at once; the owner still gets in and sees the cancel button.
    other = new_client()
    login(other, member.email, PASSWORD)
    assert other.get(f"/o/{org.slug}/").status_code == 404
    assert client.get(f"/o/{org.slug}/").status_code == 200
    assert "Cancel the deletion" in client.get(path).get_data(as_text=True)
    # The periodic purge does nothing before the due date...
    assert purge_deleted_orgs() == []
    assert sum(_rows_of(owner_url, org.id).values()) > 0
    # ...and removes every row once the grace period is over.
    _owner_sql(
        owner_url,
        "UPDATE organisations SET deletion_due_at = now() - interval '1 second' WHERE id = :o",
        o=org.id,
    )
    assert purge_deleted_orgs() == [org.id]
    assert _rows_of(owner_url, org.id) == dict.fromkeys(_rows_of(owner_url, org.id), 0)
    assert _owner_sql(owner_url, "SELECT id FROM organisations WHERE id = :o", o=org.id) == []
    assert client.get(f"/o/{org.slug}/").status_code == 404


def test_an_owner_cancels_within_the_grace_period(app, make, client, new_client):
    from workers.jobs.orgs import purge_deleted_orgs

    owner, viewer = make.user(), make.user()
    org = make.org(owner)
    make.member(org, viewer, "viewer")
    login(client, owner.email, PASSWORD)
    path = f"/o/{org.slug}/delete"
    post_form(client, path, {"confirm_name": org.name}, token_from=path)
    other = new_client()
    login(other, viewer.email, PASSWORD)
    assert other.get(f"/o/{org.slug}/").status_code == 404
    post_form(client, f"{path}/cancel", token_from=path)
    assert other.get(f"/o/{org.slug}/").status_code == 200
    assert purge_deleted_orgs() == []


def test_the_closing_org_is_closed_to_non_owners_api_tokens(app, make, client, owner_url):
    from tests.support.api import Api, token_for

    owner, accountant = make.user(), make.user()
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    theirs, mine = token_for(app, accountant), token_for(app, owner)
    login(client, owner.email, PASSWORD)
    path = f"/o/{org.slug}/delete"
    post_form(client, path, {"confirm_name": org.name}, token_from=path)
    assert Api(client, theirs, org.slug).get("/transactions").status_code == 404
    assert Api(client, mine, org.slug).get("/transactions").status_code == 200


def test_only_an_owner_may_delete_or_transfer(app, make, client):
    owner, accountant = make.user(), make.user()
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    login(client, accountant.email, PASSWORD)
    for path in (f"/o/{org.slug}/delete", f"/o/{org.slug}/transfer"):
        assert client.get(path).status_code == 403
        response = post_form(client, path, {"confirm_name": org.name}, token_from="/profile")
        assert response.status_code == 403


def test_owner_transfers_ownership_and_becomes_accountant_or_stays(app, make, client, new_client):
    from app.extensions import db
    from app.models import Membership
    from tenants.context import tenant_context

    owner, heir, second = make.user(), make.user(), make.user()
    org = make.org(owner)
    heir_id = make.member(org, heir, "member")
    second_id = make.member(org, second, "viewer")

    def roles() -> dict[int, str]:
        with app.app_context(), tenant_context(org.id):
            return {m.user_id: m.role for m in db.session.scalars(db.select(Membership))}

    login(client, owner.email, PASSWORD)
    path = f"/o/{org.slug}/transfer"
    assert client.get(path).status_code == 200
    post_form(client, path, {"membership_id": str(second_id), "stay_owner": "on"}, token_from=path)
    assert roles() == {owner.id: "owner", heir.id: "member", second.id: "owner"}
    post_form(client, path, {"membership_id": str(heir_id)}, token_from=path)
    assert roles() == {owner.id: "accountant", heir.id: "owner", second.id: "owner"}
    # No longer an owner: the old owner cannot transfer again, and someone is always owner.
    assert client.get(path).status_code == 403
    other_org = make.org(make.user())
    heirs = new_client()
    login(heirs, heir.email, PASSWORD)
    bad = post_form(heirs, path, {"membership_id": "999999"}, token_from=path)
    assert bad.status_code == 404
    assert other_org  # another org's membership id is a 404 like any unknown one
