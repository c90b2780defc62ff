"""Deleting a transaction puts it in the trash with its receipts: it leaves every list, search,
export, API listing, portal table and figure at once; owners and accountants see the trash and
restore from it (everything comes back); after the trash period a job removes the row and its
receipt files for good."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from app import clock, storage
from app.extensions import db
from app.models import Receipt
from app.queries import analytics
from tenants.context import tenant_context
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.receipts import attach_png
from tests.support.web import login, post_form
from workers.queues import DEFAULT, enqueue


def _balance(html: str) -> Decimal:
    return Decimal(re.search(r'data-testid="balance-all" data-amount="([^"]+)"', html).group(1))


def _explorer(app, org) -> list[str]:
    today = clock.today()
    with app.app_context(), tenant_context(org.id):
        rows = analytics.explorer(org.id, today - timedelta(days=40), today + timedelta(days=1))
        return [r["description"] for r in rows]


def _stored(app, org, receipt_id: int) -> list[str]:
    with app.app_context(), tenant_context(org.id):
        row = db.session.get(Receipt, (org.id, receipt_id))
        keys = [k for k in (row.storage_key, row.thumbnail_key) if k] if row else []
        store = storage.storage()
        return [k for k in keys if store.exists(k)]


@pytest.mark.long
def test_trash_hides_everywhere_restores_and_purges(app, make, client, new_client, redis_url):
    owner, accountant, member = make.user(), make.user(), make.user()
    org = make.org(owner, "Trash Co")
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    make.transaction(org, owner, kind="income", amount="100", description="Fee")
    txn = make.transaction(org, owner, amount="40", description="Zeppelin rental")
    receipt = attach_png(app, make, org, owner, txn)
    files = _stored(app, org, receipt)
    assert len(files) == 2  # the image and its thumbnail
    login(client, owner.email, PASSWORD)
    api = Api(new_client(), token_for(app, owner), org.slug)
    base = f"/o/{org.slug}"
    assert _balance(client.get(f"{base}/").get_data(as_text=True)) == Decimal("60")

    post_form(client, f"{base}/transactions/{txn}/delete", token_from=f"{base}/transactions")
    listed = client.get(f"{base}/transactions").get_data(as_text=True)
    assert "Fee" in listed and "Zeppelin" not in listed
    assert "Zeppelin" not in client.get(f"{base}/transactions?q=zeppelin").get_data(as_text=True)
    assert "Zeppelin" not in client.get(f"{base}/transactions/export?format=csv").get_data(
        as_text=True
    )
    assert [i["description"] for i in api.get("/transactions").get_json()["items"]] == ["Fee"]
    assert api.get(f"/transactions/{txn}").status_code == 404
    assert client.get(f"{base}/transactions/{txn}/view").status_code == 404
    assert client.get(f"{base}/receipts/{receipt}").status_code == 404
    assert _explorer(app, org) == ["Fee"]
    assert _balance(client.get(f"{base}/").get_data(as_text=True)) == Decimal("100")
    assert _stored(app, org, receipt) == files  # kept, with the row, while in the trash

    staff = new_client()
    login(staff, member.email, PASSWORD)
    assert staff.get(f"{base}/trash").status_code == 403
    assert Api(new_client(), token_for(app, member), org.slug).get("/trash").status_code == 403
    books = new_client()
    login(books, accountant.email, PASSWORD)
    trash = books.get(f"{base}/trash").get_data(as_text=True)
    assert "Zeppelin rental" in trash and "1 receipt" in trash
    expected_purge = (clock.now() + timedelta(days=30)).date().isoformat()
    assert expected_purge in trash
    [item] = api.get("/trash").get_json()["items"]
    assert item["id"] == txn and item["amount"] == "40.0000"

    post_form(books, f"{base}/trash/{txn}/restore", token_from=f"{base}/trash")
    assert 'data-testid="trash-empty"' in books.get(f"{base}/trash").get_data(as_text=True)
    assert "Zeppelin" in client.get(f"{base}/transactions").get_data(as_text=True)
    assert client.get(f"{base}/receipts/{receipt}").status_code == 200
    assert _balance(client.get(f"{base}/").get_data(as_text=True)) == Decimal("60")
    assert api.post(f"/transactions/{txn}/restore").status_code == 409  # not in the trash

    assert api.delete(f"/transactions/{txn}").status_code == 204
    for days, left in ((29, [txn]), (31, [])):  # the periodic job on day 29, then on day 31
        with clock.frozen(clock.now() + timedelta(days=days)):
            with app.app_context():
                enqueue(DEFAULT, "workers.jobs.ledger.purge_trash_all")
            run_jobs(app, redis_url, DEFAULT)
        assert [i["id"] for i in api.get("/trash").get_json()["items"]] == left
    assert _stored(app, org, receipt) == []  # the row is gone and so are both files
    with app.app_context():
        store = storage.storage()
        assert not any(store.exists(key) for key in files)
    assert api.post(f"/transactions/{txn}/restore").status_code == 404
