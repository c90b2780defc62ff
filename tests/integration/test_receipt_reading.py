"""Receipt reading end to end (issue 14, acceptance 7): a receipt drawn with Pillow, uploaded
on the new-transaction form, read by a real worker running Tesseract; its total and date are
proposed on the transaction page and in the API, one click uses one of them, and nothing the
user typed changes unasked."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.receipt_images import receipt_png
from tests.support.web import login, post_form


def test_a_read_receipt_proposes_its_total_and_date_on_the_transaction_page(app, make, client):
    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    category = make.category(org)
    drawn = receipt_png(seed=3)
    login(client, member.email, PASSWORD)
    new = f"/o/{org.slug}/transactions/new"
    typed = {"kind": "expense", "amount": "1.00", "date": date.today().isoformat()}
    saved = post_form(
        client,
        new,
        typed
        | {
            "currency": org.base_currency,
            "category_id": category,
            "submit": "draft",
            "file": (io.BytesIO(drawn.png()), "IMG_0042.png", "image/png"),
        },
        token_from=new,
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    page_path = saved.headers["Location"]
    waiting = client.get(page_path).get_data(as_text=True)
    assert "Reading the receipt" in waiting

    run_jobs(app, app.config["REDIS_URL"])  # a real OutlayWorker runs Tesseract

    page = client.get(page_path).get_data(as_text=True)
    assert f"Total: <strong>{drawn.total:.2f}</strong>" in page
    assert f"Date: <strong>{drawn.date.isoformat()}</strong>" in page
    txn_id = int(page_path.split("/")[-2])
    api = Api(client, token_for(app, member), org.slug)
    (receipt,) = api.get(f"/transactions/{txn_id}/receipts").get_json()["items"]
    assert receipt["reading_status"] == "read"
    assert receipt["proposed"]["total"] == f"{drawn.total:.2f}"
    assert receipt["proposed"]["date"] == drawn.date.isoformat()
    # Reading proposed; it changed nothing the member typed.
    stored = api.get(f"/transactions/{txn_id}").get_json()
    assert Decimal(stored["amount"]) == Decimal("1.00") and stored["date"] == typed["date"]

    used = post_form(
        client,
        f"/o/{org.slug}/receipts/{receipt['id']}/use",
        {"field": "amount"},
        token_from=page_path,
    )
    assert used.status_code == 302
    assert Decimal(api.get(f"/transactions/{txn_id}").get_json()["amount"]) == drawn.total
    after = client.get(page_path).get_data(as_text=True)
    assert "Total: <strong>" not in after  # the amount is the receipt's now: nothing to offer
    assert f"Date: <strong>{drawn.date.isoformat()}</strong>" in after
    edit = client.get(f"/o/{org.slug}/transactions/{txn_id}").get_data(as_text=True)
    assert f'data-fill="date" data-value="{drawn.date.isoformat()}"' in edit
