"""Who may export (issue 10.10 / acceptance 8, as issue 15 and tenants/permissions.py have it):
every role holds Perm.EXPORT, a member's files hold only their own items, a viewer exports the
org's; every export path checks the permission (shown with a role table whose viewers lack
it); an export's kind needs its permission when it runs and when it is fetched, so an owner
demoted after asking for the org's archive gets neither the job's file nor the link."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from app.services.accounts import portal_tokens
from streamlit_portal import runtime
from tenants.permissions import PERMISSIONS, Perm
from tenants.roles import Role
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.web import csrf, https_client, login

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_portal" / "app.py"


@pytest.fixture(scope="module")
def job_app(app_factory):
    """Every transactions export of more than one row runs as a job."""
    return app_factory(OUTLAY_EXPORT_INLINE_MAX_ROWS=1)


@pytest.fixture
def team(make):
    owner, member, viewer = make.user(), make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    make.member(org, viewer, "viewer")
    make.transaction(org, owner, amount="10.00", description="Owner rent")
    make.transaction(org, owner, amount="11.00", description="Owner fuel")
    make.transaction(org, member, "member", amount="3.00", description="Member taxi")
    make.transaction(org, member, "member", amount="4.00", description="Member lunch")
    return {"owner": owner, "member": member, "viewer": viewer, "org": org}


def signed_in(app, user):
    client = https_client(app)
    assert login(client, user.email, PASSWORD).status_code == 302
    return client


def descriptions(body: bytes | str) -> list[str]:
    text_ = body.decode() if isinstance(body, bytes) else body
    return sorted(row["Description"] for row in csv.DictReader(io.StringIO(text_)))


def explorer(app, user, org, role: str) -> AppTest:
    runtime.use_app(app)
    at = AppTest.from_file(str(ENTRY), default_timeout=30)
    at.query_params["token"] = portal_tokens.mint(
        app.config["SECRET_KEY"], user.id, org.id, org.slug, role
    )
    at.run()
    at.switch_page("views/explorer.py").run()
    assert not at.exception
    return at


def job_export(app, user, org, redis_url) -> list[str]:
    """A transactions export run by the worker, fetched through the API's link."""
    client = https_client(app)
    api = Api(client, token_for(app, user), org.slug)
    started = api.get("/transactions/export?format=csv")
    assert started.status_code == 202, started.get_data(as_text=True)
    run_jobs(app, redis_url)
    done = client.get(started.headers["Location"], headers=api.headers).get_json()
    assert done["status"] == "done", done
    return descriptions(client.get(done["download_url"], headers=api.headers).data)


EVERYONE = ["Member lunch", "Member taxi", "Owner fuel", "Owner rent"]
OWN = ["Member lunch", "Member taxi"]


@pytest.mark.parametrize(("role", "rows"), [("viewer", EVERYONE), ("member", OWN)])
def test_a_viewer_exports_the_org_and_a_member_only_their_own_on_every_path(
    app, job_app, team, redis_url, role, rows
):
    user, org = team[role], team["org"]
    web = signed_in(app, user)
    assert descriptions(web.get(f"/o/{org.slug}/transactions/export?format=csv").data) == rows
    api = Api(https_client(app), token_for(app, user), org.slug)
    assert descriptions(api.get("/transactions/export?format=csv").data) == rows
    assert job_export(job_app, user, org, redis_url) == rows
    at = explorer(app, user, org, role)
    (download,) = at.get("download_button")
    assert "Download CSV" in str(download.proto)
    assert sorted(at.dataframe[0].value["Description"]) == rows
    report = web.get(f"/o/{org.slug}/reports/profit-and-loss?period=year&format=xlsx")
    assert report.status_code == 200 and report.data[:2] == b"PK"


@pytest.fixture
def viewers_may_not_export(monkeypatch):
    """The role table with Perm.EXPORT taken from viewers: what each path must then refuse."""
    monkeypatch.setitem(PERMISSIONS, Role.VIEWER, PERMISSIONS[Role.VIEWER] - {Perm.EXPORT})


def test_every_export_path_checks_the_export_permission(
    app, job_app, team, redis_url, viewers_may_not_export
):
    viewer, org = team["viewer"], team["org"]
    web = signed_in(app, viewer)
    o = f"/o/{org.slug}"
    for path in (
        f"{o}/transactions/export?format=csv",
        f"{o}/transactions/export?format=xlsx",
        f"{o}/transactions/export?format=pdf",
        f"{o}/exports",
        f"{o}/reports/profit-and-loss?period=year&format=pdf",
        f"{o}/reports/profit-and-loss?period=year&format=xlsx",
    ):
        assert web.get(path).status_code == 403, path
    assert web.get(f"{o}/reports/profit-and-loss?period=year").status_code == 200  # reading
    token = csrf(web, f"{o}/transactions")
    asked = web.post(f"{o}/exports", data={"csrf_token": token, "query": "format=csv"})
    assert asked.status_code == 403
    assert "/transactions/export" not in web.get(f"{o}/transactions").get_data(as_text=True)

    api = Api(https_client(app), token_for(app, viewer), org.slug)
    for path in (
        "/transactions/export?format=csv",
        "/reports/profit-and-loss?period=year&format=pdf",
        "/reports/profit-and-loss?period=year&format=xlsx",
    ):
        assert api.get(path).status_code == 403, path
    assert api.get("/reports/profit-and-loss?period=year").status_code == 200  # json: reading

    at = explorer(app, viewer, org, "viewer")
    assert at.get("download_button") == []
    assert len(at.dataframe) == 0  # st.dataframe has its own download; a static table instead


def test_a_queued_export_does_not_run_or_open_once_the_role_lacks_the_permission(
    job_app, team, redis_url, monkeypatch
):
    viewer, org = team["viewer"], team["org"]
    client = https_client(job_app)
    api = Api(client, token_for(job_app, viewer), org.slug)
    started = api.get("/transactions/export?format=csv")
    assert started.status_code == 202
    status = started.headers["Location"]
    monkeypatch.setitem(PERMISSIONS, Role.VIEWER, PERMISSIONS[Role.VIEWER] - {Perm.EXPORT})
    run_jobs(job_app, redis_url)
    monkeypatch.undo()
    done = client.get(status, headers=api.headers).get_json()
    assert done["status"] == "failed" and "no longer allows" in done["error"], done


def _set_role(owner_engine, org, user, role: str) -> None:
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE memberships SET role = :r WHERE org_id = :o AND user_id = :u"),
            {"r": role, "o": org.id, "u": user.id},
        )


def test_an_owner_demoted_after_asking_for_the_archive_gets_no_archive(
    app, make, team, redis_url, owner_engine
):
    org, asker = team["org"], make.user()
    make.member(org, asker, "owner")
    client = signed_in(app, asker)
    api = Api(client, token_for(app, asker), org.slug)

    # Asked, finished, then demoted: the link and its status are gone, the listing omits it.
    started = api.post("/archive")
    assert started.status_code == 202, started.get_data(as_text=True)
    run_jobs(app, redis_url)
    done = api.get(f"/archive/{started.get_json()['id']}").get_json()
    assert done["status"] == "done"
    download = f"/o/{org.slug}/exports/{done['id']}/download"
    assert client.get(download).status_code == 200
    _set_role(owner_engine, org, asker, "member")
    assert client.get(download).status_code == 404
    assert client.get(done["download_url"], headers=api.headers).status_code == 404
    assert f"/exports/{done['id']}/" not in client.get(f"/o/{org.slug}/exports").get_data(
        as_text=True
    )

    # Asked, then demoted before the job ran: the job writes nothing.
    _set_role(owner_engine, org, asker, "owner")
    queued = api.post("/archive").get_json()["id"]
    _set_role(owner_engine, org, asker, "accountant")
    run_jobs(app, redis_url)
    _set_role(owner_engine, org, asker, "owner")
    late = api.get(f"/archive/{queued}").get_json()
    assert late["status"] == "failed" and "no longer allows" in late["error"], late


def test_a_wider_export_stays_shut_once_its_asker_reads_only_their_own_items(
    job_app, make, team, redis_url, owner_engine
):
    """An accountant exported everyone's items, then became a member: that file is a 404 now
    (it holds more than they may read), while a new export gives them their own items."""
    org, asker = team["org"], make.user()
    make.member(org, asker, "accountant")
    make.transaction(org, asker, "accountant", amount="6.00", description="Asker parking")
    client = https_client(job_app)
    api = Api(client, token_for(job_app, asker), org.slug)
    started = api.get("/transactions/export?format=csv")
    assert started.status_code == 202
    run_jobs(job_app, redis_url)
    done = client.get(started.headers["Location"], headers=api.headers).get_json()
    assert descriptions(client.get(done["download_url"], headers=api.headers).data) == sorted(
        [*EVERYONE, "Asker parking"]
    )

    _set_role(owner_engine, org, asker, "member")
    assert client.get(done["download_url"], headers=api.headers).status_code == 404
    assert client.get(started.headers["Location"], headers=api.headers).status_code == 404
    web = signed_in(job_app, asker)
    assert f"/exports/{done['id']}/" not in web.get(f"/o/{org.slug}/exports").get_data(as_text=True)
    again = api.get("/transactions/export?format=csv")  # one row now: inline
    assert descriptions(again.data) == ["Asker parking"]
