"""The whole org in one archive: every table as CSV with a manifest whose row counts and
checksums hold, nothing of another org, raw values for the way back."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from sqlalchemy import text

from app.services.exports.archive_format import NOT_ARCHIVED
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.mailbox import first_link
from tests.support.recurring import make_rule
from tests.support.route_samples import budget, saved_view
from tests.support.web import csrf, https_client, login, path_of

TABLES = ("categories", "payment_methods", "transactions", "budgets", "recurring_rules")


def test_an_owner_archives_the_org_and_the_manifest_holds(
    app, make, mailbox, redis_url, owner_engine
):
    owner, stranger = make.user(), make.user()
    org, other = make.org(owner), make.org(stranger)
    make.transaction(org, owner, description='=1+2";=1+2', amount="12.34")
    make.transaction(org, owner, kind="income", amount="99.00", description="Invoice")
    make_rule(app, org, owner, description="Rent")
    budget(app, org, owner)
    saved_view(app, org, owner)
    make.transaction(other, stranger, description="Org C secret", amount="5.00")
    make_rule(app, other, stranger, description="Org C rule")

    client = https_client(app)
    assert login(client, owner.email, PASSWORD).status_code == 302
    mailbox.clear()
    token = csrf(client, f"/o/{org.slug}/exports")
    asked = client.post(f"/o/{org.slug}/archive", data={"csrf_token": token})
    assert asked.status_code == 302
    run_jobs(app, redis_url)
    link = path_of(first_link(mailbox.wait_for(owner.email, "export is ready"), "/download"))
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "application/zip"

    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == 1 and manifest["org"]["slug"] == org.slug
    assert "README.md" in archive.namelist()
    with owner_engine.connect() as conn:
        tenant_tables = set(
            conn.execute(
                text(
                    "SELECT table_name FROM information_schema.columns WHERE "
                    "column_name = 'org_id' AND table_schema = 'public'"
                )
            ).scalars()
        )
        for table in tenant_tables - set(NOT_ARCHIVED):
            assert table in manifest["tables"], f"{table} is left out of the archive"
            count = conn.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE org_id = :o'), {"o": org.id}
            ).scalar_one()
            entry = manifest["tables"][table]
            assert entry["rows"] == count, table
            data = archive.read(entry["file"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], table
            rows = list(csv.DictReader(io.StringIO(data.decode())))
            assert len(rows) == count and {r["org_id"] for r in rows} <= {str(org.id)}, table
    for table in TABLES:
        assert manifest["tables"][table]["rows"] >= 1, table
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Org C" not in everything and other.slug.encode() not in everything
    transactions = archive.read("tables/transactions.csv").decode()
    assert '"=1+2"";=1+2"' in transactions  # raw, for the way back (not a spreadsheet export)


def test_the_api_starts_an_archive_and_only_owners_may(app, make, redis_url):
    owner, accountant = make.user(), make.user()
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    client = https_client(app)
    api = Api(client, token_for(app, owner), org.slug)
    started = api.post("/archive")
    assert started.status_code == 202
    run_jobs(app, redis_url)
    done = client.get(path_of(started.headers["Location"]), headers=api.headers).get_json()
    assert done["status"] == "done" and done["format"] == "zip"
    again = api.get(f"/archive/{done['id']}").get_json()
    assert again["download_url"] == done["download_url"]
    body = client.get(done["download_url"], headers=api.headers).data
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    assert Api(client, token_for(app, accountant), org.slug).post("/archive").status_code == 403
