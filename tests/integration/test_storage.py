"""The storage interface (app/storage.py): the same tests for the local folder and for S3,
the latter against moto running as a server on loopback (a real S3 API over HTTP)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import storage
from tests.support.s3 import MotoServer


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> storage.Storage:
    if request.param == "local":
        return storage.LocalStorage(tmp_path / "files")
    s3 = request.getfixturevalue("moto").settings()
    client = storage.s3_client(s3["endpoint"], s3["region"], s3["access_key"], s3["secret_key"])
    bucket = f"receipts-{secrets.token_hex(4)}"
    client.create_bucket(Bucket=bucket)
    return storage.S3Storage(client, bucket)


class Counting:
    """Chunks handed out one at a time, counting how many were taken."""

    def __init__(self, chunk: bytes, count: int) -> None:
        self.chunk, self.count, self.taken = chunk, count, 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.count):
            self.taken += 1
            yield self.chunk


def test_a_stored_file_reads_back_the_same(store: storage.Storage) -> None:
    key = storage.new_key("receipts/1")
    assert store.put(key, [b"%PDF-1.4 ", b"hello"], 100) == 14
    assert store.exists(key)
    with store.open(key) as found:
        assert found.read() == b"%PDF-1.4 hello"


def test_putting_again_replaces_the_file(store: storage.Storage) -> None:
    key = storage.new_key("receipts/1")
    store.put(key, [b"original with metadata"], 100)
    store.put(key, [b"clean"], 100)
    with store.open(key) as found:
        assert found.read() == b"clean"


def test_a_file_past_the_limit_is_refused_reading_stops_and_nothing_is_kept(
    store: storage.Storage,
) -> None:
    key = storage.new_key("receipts/1")
    chunks = Counting(b"x" * 1000, 50)
    with pytest.raises(storage.TooLarge):
        store.put(key, chunks, 2500)
    assert chunks.taken == 3  # the third chunk crossed the limit; the other 47 were never read
    assert not store.exists(key)


def test_a_deleted_file_is_gone_and_deleting_again_is_no_error(store: storage.Storage) -> None:
    key = storage.new_key("receipts/1")
    store.put(key, [b"data"], 10)
    store.delete(key)
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.open(key)


def test_the_app_uses_s3_when_a_bucket_is_configured(app_factory, moto: MotoServer) -> None:
    s3 = moto.settings()
    app = app_factory(OUTLAY_RECEIPTS_S3_BUCKET="outlay-receipts", OUTLAY_RECEIPTS_S3=s3)
    with app.app_context():
        chosen = storage.storage()
    assert isinstance(chosen, storage.S3Storage) and chosen.bucket == "outlay-receipts"
    with app_factory().app_context():
        assert isinstance(storage.storage(), storage.LocalStorage)


def test_a_receipt_attached_with_s3_configured_lands_in_the_bucket(app_factory, make, moto):
    from app.extensions import db
    from app.models import Receipt
    from app.services.receipts import receipts
    from tenants.context import tenant_context
    from tests.support.receipts import attach_png

    s3 = moto.settings()
    client = storage.s3_client(s3["endpoint"], s3["region"], s3["access_key"], s3["secret_key"])
    client.create_bucket(Bucket="outlay-receipts-e2e")
    app = app_factory(OUTLAY_RECEIPTS_S3_BUCKET="outlay-receipts-e2e", OUTLAY_RECEIPTS_S3=s3)
    owner = make.user()
    org = make.org(owner)
    receipt_id = attach_png(app, make, org, owner)
    with app.app_context(), tenant_context(org.id):
        receipt = db.session.get(Receipt, (org.id, receipt_id))
        assert receipts.content(receipt).startswith(b"\x89PNG")  # re-encoded, read back
        keys = {o["Key"] for o in client.list_objects_v2(Bucket="outlay-receipts-e2e")["Contents"]}
        assert keys == {receipt.storage_key, receipt.thumbnail_key}
