"""A large export runs as a job: the person gets a link in the app and by email, which works
for them only, is a 404 for anyone of another org, and for everyone once it has expired."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app import clock
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.mailbox import first_link
from tests.support.web import csrf_from, https_client, login, path_of


@pytest.fixture(scope="module")
def small_app(app_factory):
    """The app with exports of more than 3 rows running as a job."""
    return app_factory(OUTLAY_EXPORT_INLINE_MAX_ROWS=3, OUTLAY_EXPORT_LINK_DAYS=7)


@pytest.fixture
def org_with_rows(make):
    owner, accountant, stranger = make.user(), make.user(), make.user()
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    make.org(stranger)
    for n in range(5):
        make.transaction(org, owner, amount=f"{n + 1}.00", description=f"Row {n}")
    return owner, accountant, stranger, org


def client_of(app, user):
    client = https_client(app)
    assert login(client, user.email, PASSWORD).status_code == 302
    return client


def test_a_large_export_is_a_job_with_an_expiring_link_for_its_owner_only(
    small_app, org_with_rows, mailbox, redis_url
):
    owner, accountant, stranger, org = org_with_rows
    client = client_of(small_app, owner)
    page = client.get(f"/o/{org.slug}/transactions/export?format=xlsx&kind=expense")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Export 5 transactions as XLSX" in html
    query = re.search(r'name="query" value="([^"]+)"', html).group(1).replace("&amp;", "&")
    mailbox.clear()
    asked = client.post(
        f"/o/{org.slug}/exports", data={"csrf_token": csrf_from(html), "query": query}
    )
    assert asked.status_code == 302 and path_of(asked.headers["Location"]).endswith("/exports")
    listing = client.get(f"/o/{org.slug}/exports").get_data(as_text=True)
    assert 'data-status="queued"' in listing

    run_jobs(small_app, redis_url)

    mail = mailbox.wait_for(owner.email, "export is ready")
    link = path_of(first_link(mail, "/download"))
    assert 'data-status="done"' in client.get(f"/o/{org.slug}/exports").get_data(as_text=True)
    response = client.get(link)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Transactions"]
    assert sorted(r[2] for r in sheet.iter_rows(min_row=2, max_row=6, values_only=True)) == [
        f"Row {n}" for n in range(5)
    ]
    # Another org's member: as if there were no such export. Another member of this org: it
    # is not theirs (a member's own-items export must stay theirs).
    assert client_of(small_app, stranger).get(link).status_code == 404
    assert client_of(small_app, accountant).get(link).status_code == 404
    assert https_client(small_app).get(link).status_code == 302  # to the login page
    with clock.frozen(clock.now() + timedelta(days=7, minutes=1)):
        assert client.get(link).status_code == 404
        assert "Expired" in client.get(f"/o/{org.slug}/exports").get_data(as_text=True)


def test_the_api_answers_202_and_the_job_gives_a_download_url(
    small_app, org_with_rows, redis_url, mailbox
):
    owner, _accountant, stranger, org = org_with_rows
    client = https_client(small_app)
    api = Api(client, token_for(small_app, owner), org.slug)
    started = api.get("/transactions/export?format=csv")
    assert started.status_code == 202, started.get_data(as_text=True)
    job = path_of(started.headers["Location"])
    assert client.get(job, headers=api.headers).get_json()["status"] == "queued"

    run_jobs(small_app, redis_url)

    done = client.get(job, headers=api.headers).get_json()
    assert done["status"] == "done" and done["rows"] == 5 and len(done["sha256"]) == 64
    body = client.get(done["download_url"], headers=api.headers)
    lines = list(csv.DictReader(io.StringIO(body.get_data(as_text=True))))
    assert sorted(r["Description"] for r in lines) == [f"Row {n}" for n in range(5)]
    outsider = {"Authorization": f"Bearer {token_for(small_app, stranger)}"}
    assert client.get(job, headers=outsider).status_code == 404
    assert client.get(done["download_url"], headers=outsider).status_code == 404
