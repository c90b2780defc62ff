"""Receipts as people meet them: a phone photo attached through the API comes back without
its GPS position, with a thumbnail; a file is typed by its content, not its name; an upload
over the limit is refused before it is read through; only those who may see the transaction
reach its receipts; a required receipt lets the expense be submitted."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from tests.support.api import Api, fields_of, token_for
from tests.support.factories import PASSWORD
from tests.support.receipts import GPS_TAG, photo_with_gps, png
from tests.support.web import login, post_form


def team(app, make, client):
    owner, accountant, member, other = (make.user() for _ in range(4))
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    make.member(org, other, "member")
    apis = {
        name: Api(client, token_for(app, user), org.slug)
        for name, user in (
            ("owner", owner),
            ("accountant", accountant),
            ("member", member),
            ("other", other),
        )
    }
    return org, apis, (owner, accountant, member, other)


def upload(api: Api, txn_id: int, data: bytes, name: str, mimetype: str = "image/jpeg"):
    return api.client.post(
        f"{api.base}/transactions/{txn_id}/receipts",
        data={"file": (io.BytesIO(data), name, mimetype)},
        headers=api.headers,
        content_type="multipart/form-data",
    )


def record(api: Api, category: int, amount: str) -> int:
    body = {"kind": "expense", "amount": amount, "category_id": category}
    response = api.post("/transactions", json=body | {"date": date.today().isoformat()})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.mark.parametrize(
    ("form", "name"), [("JPEG", "IMG_0001.HEIC.jpg"), ("HEIF", "IMG_0002.HEIC")]
)
def test_a_phone_photo_is_stored_without_its_gps_position(app, make, client, form, name):
    """JPEG and the iPhone's HEIC alike: stored as a JPEG with no position in it."""
    org, apis, _people = team(app, make, client)
    txn = record(apis["member"], make.category(org), "90")
    photo = photo_with_gps(form)
    original = Image.open(io.BytesIO(photo))
    assert GPS_TAG in original.getexif()  # the fixture really carries a position
    created = upload(apis["member"], txn, photo, name, "application/octet-stream")
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["content_type"] == "image/jpeg" and body["thumbnail"] is True
    assert body["filename"].endswith(".jpg")
    assert body["reading_status"] == "pending" and body["size"] > 0  # read on the worker
    fetched = apis["accountant"].get(f"/receipts/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert fetched.headers["X-Content-Type-Options"] == "nosniff"
    stored = Image.open(io.BytesIO(fetched.data))
    assert stored.format == "JPEG" and stored.size == (120, 80)
    assert GPS_TAG not in stored.getexif() and "exif" not in stored.info
    listed = apis["member"].get(f"/transactions/{txn}/receipts").get_json()["items"]
    assert [r["id"] for r in listed] == [body["id"]]


def test_the_type_comes_from_the_content_never_the_name(app, make, client):
    org, apis, _people = team(app, make, client)
    txn = record(apis["owner"], make.category(org), "20")
    fake = upload(apis["owner"], txn, b"<html><script>alert(1)</script></html>", "receipt.jpg")
    assert fake.status_code == 422
    assert "JPEG" in fields_of(fake)["file"]
    svg = upload(apis["owner"], txn, b'<svg xmlns="http://www.w3.org/2000/svg"/>', "r.svg")
    assert svg.status_code == 422
    named_wrong = upload(apis["owner"], txn, png(), "scan.pdf", "application/pdf")
    assert named_wrong.status_code == 201
    assert named_wrong.get_json()["content_type"] == "image/png"
    assert named_wrong.get_json()["filename"] == "scan.png"
    pdf = upload(apis["owner"], txn, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "a")
    assert pdf.status_code == 201 and pdf.get_json()["content_type"] == "application/pdf"
    assert len(apis["owner"].get(f"/transactions/{txn}/receipts").get_json()["items"]) == 2


class CountingStream:
    """A request body that counts how much of it the server read."""

    def __init__(self, size: int) -> None:
        self.size, self.read_bytes = size, 0
        boundary = b"--x\r\n"
        self.head = (
            boundary + b'Content-Disposition: form-data; name="file"; filename="big.png"\r\n'
            b"Content-Type: image/png\r\n\r\n" + png()
        )

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.read_bytes
        if left <= 0:
            return b""
        n = left if n is None or n < 0 else min(n, left)
        start = self.read_bytes
        self.read_bytes += n
        data = (self.head + b"\0" * (self.size))[start : start + n]
        return data

    def readline(self, limit: int = -1) -> bytes:
        return self.read(limit if limit and limit > 0 else 65536)


def test_an_upload_over_the_limit_is_refused_before_it_is_read_through(app_factory, make):
    small = app_factory(OUTLAY_RECEIPT_MAX_BYTES=200_000)
    owner = make.user()
    org = make.org(owner)
    txn = make.transaction(org, owner)
    token = token_for(small, owner)
    path = f"/api/v1/orgs/{org.slug}/transactions/{txn}/receipts"
    headers = {"Authorization": f"Bearer {token}"}
    total = 5_000_000
    for declared in (True, False):  # with a Content-Length, and streamed without one
        body = CountingStream(total)
        environ = {"wsgi.input": body, "CONTENT_TYPE": "multipart/form-data; boundary=x"}
        if declared:
            environ["CONTENT_LENGTH"] = str(total)
        else:
            environ["wsgi.input_terminated"] = True
        with small.test_client() as http:
            response = http.post(path, headers=headers, environ_overrides=environ)
        assert response.status_code == 413, (declared, response.get_data(as_text=True)[:200])
        assert body.read_bytes < 400_000, (declared, body.read_bytes)  # stopped near the limit
    with small.test_client() as http:
        listed = http.get(path, headers=headers).get_json()["items"]
    assert listed == []


def test_only_those_who_see_the_transaction_reach_its_receipts(app, make, client, new_client):
    org, apis, (owner, _accountant, member, other) = team(app, make, client)
    txn = record(apis["member"], make.category(org), "30")
    receipt = upload(apis["member"], txn, png(), "r.png").get_json()["id"]
    assert apis["other"].get(f"/receipts/{receipt}").status_code == 404
    assert apis["other"].get(f"/transactions/{txn}/receipts").status_code == 404
    assert apis["other"].delete(f"/receipts/{receipt}").status_code == 404
    assert upload(apis["other"], txn, png(), "mine.png").status_code == 404
    assert apis["owner"].get(f"/receipts/{receipt}").status_code == 200
    browser = new_client()
    login(browser, other.email, PASSWORD)
    assert browser.get(f"/o/{org.slug}/receipts/{receipt}/thumbnail").status_code == 404
    browser = new_client()
    login(browser, member.email, PASSWORD)
    page = browser.get(f"/o/{org.slug}/transactions/{txn}/view").get_data(as_text=True)
    assert f"/o/{org.slug}/receipts/{receipt}/thumbnail" in page and 'capture="environment"' in page
    thumb = browser.get(f"/o/{org.slug}/receipts/{receipt}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert apis["member"].delete(f"/receipts/{receipt}").status_code == 204
    assert apis["owner"].get(f"/receipts/{receipt}").status_code == 404
    del owner


def test_a_required_receipt_lets_the_expense_be_submitted(app, make, client, new_client):
    org, apis, (_owner, _accountant, member, _other) = team(app, make, client)
    txn = record(apis["member"], make.category(org), "120")  # at or above 75: a receipt is due
    assert apis["member"].get(f"/transactions/{txn}").get_json()["approval_state"] == "draft"
    browser = new_client()
    login(browser, member.email, PASSWORD)
    page = f"/o/{org.slug}/transactions/{txn}/view"
    refused = post_form(
        browser, f"/o/{org.slug}/transactions/{txn}/submit", token_from=page, follow_redirects=True
    )
    assert "Attach a receipt" in refused.get_data(as_text=True)
    attached = post_form(
        browser,
        f"/o/{org.slug}/transactions/{txn}/receipts",
        {"file": (io.BytesIO(png()), "till.png")},
        token_from=page,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Receipt attached." in attached.get_data(as_text=True)
    post_form(browser, f"/o/{org.slug}/transactions/{txn}/submit", token_from=page)
    assert apis["member"].get(f"/transactions/{txn}").get_json()["approval_state"] == "submitted"
