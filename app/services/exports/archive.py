"""The whole org in one archive: every tenant table as CSV, a manifest and a README, zipped.

An owner asks (`ask`); the export job writes it (`write`, registered with the runner). Each
table is copied by PostgreSQL itself (`COPY (SELECT ...) TO STDOUT`), as the runtime role,
under the org's tenant: row-level security keeps every other org's rows out, and the
`org_id = :org` condition says so a second time. Every tenant table goes in, a table added
later too (they are found in the catalog), except `archive_format.NOT_ARCHIVED`; the receipt
files join them. The CSV is raw data for a round trip (`archive_import`), not for a
spreadsheet: nothing is neutralised or rounded.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from typing import IO, Any

from sqlalchemy import text

from app import clock, storage
from app.extensions import db
from app.models import Export, Organisation, Receipt
from app.seat import Seat
from app.services.exports import export_jobs
from app.services.exports.archive_format import (
    FORMAT,
    SCHEMA_VERSION,
    archived_tables,
    checked,
    shape,
)
from app.services.receipts.receipts import ACCEPTED

CHUNK = 1024 * 1024
# People of the org by id, so an import can tell the importer's own rows from the others'.
PEOPLE_SQL = text(
    """
    SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.org_id = :org ORDER BY u.id
    """
)
README = """# Outlay archive of {name}

Made {generated} by Outlay. Format version {version}.

- `manifest.json`: the format version, the org (name, slug, base currency, time zone, first
  month of its financial year), and for every table its file, columns, row count and the
  SHA-256 of the file; `receipts` lists every receipt's file (`receipts/<id>.<ext>`, and
  `receipts/<id>.thumbnail.jpg` for a photo) with its size and SHA-256; `people` lists the
  org's members (id, email), so an import knows whose rows are whose.
- `tables/<table>.csv`: every row of the org in that table, as PostgreSQL writes CSV
  (UTF-8, a header row, NULL as an empty unquoted field, arrays as `{{a,b}}`, timestamps with
  their UTC offset, amounts with four decimals). Ids are this org's; an import into a new org
  gives every row a new id and rewrites the references.
- The data is raw, for importing back into Outlay (Organisation settings, "Import an
  archive") or into a database. For a spreadsheet, export the transactions list as XLSX.
"""


def ask(seat: Seat) -> Export:
    slug, day = seat.org_slug, clock.today(seat.time_zone).isoformat()
    return export_jobs.create(seat, "archive", "zip", "", f"outlay-{slug}-archive-{day}.zip")


class _Hashing:
    """A writable that hashes and counts what passes through it into the zip entry."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target, self.sha = target, hashlib.sha256()

    def write(self, data: bytes | str) -> int:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.sha.update(raw)
        return self.target.write(raw)


def _copy(table: str, org_id: int, target: IO[bytes]) -> tuple[list[str], int, str]:
    # Names from the catalog, checked anyway before they are spliced into SQL.
    columns = [checked(name) for name in shape(table).columns]
    listed = ", ".join(f'"{c}"' for c in columns)
    order = " ORDER BY id" if "id" in columns else ""
    # Checked identifiers and an int: nothing a user typed.
    select = f'SELECT {listed} FROM "{table}" WHERE org_id = {int(org_id)}{order}'  # noqa: S608
    sql = f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER true)"
    count = db.session.execute(
        text(f'SELECT count(*) FROM "{table}" WHERE org_id = :org'),  # noqa: S608
        {"org": org_id},
    ).scalar_one()
    cursor = db.session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    sink = _Hashing(target)
    try:
        cursor.copy_expert(sql, sink)
    finally:
        cursor.close()
    return columns, int(count), sink.sha.hexdigest()


def write(seat: Seat, export: Export, out: IO[bytes], org_name: str) -> int:
    """Write the zip to `out`; returns the number of rows archived."""
    org = db.session.get(Organisation, seat.org_id)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": SCHEMA_VERSION,
        "generated_at": clock.now().isoformat(),
        "org": {
            "name": org_name,
            "slug": seat.org_slug,
            "base_currency": seat.base_currency,
            "time_zone": seat.time_zone,
            "fiscal_year_start": org.fiscal_year_start if org else 1,
        },
        "tables": {},
        "receipts": [],
        "people": [
            {"id": i, "email": e} for i, e in db.session.execute(PEOPLE_SQL, {"org": seat.org_id})
        ],
    }
    total = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in archived_tables():
            name = f"tables/{table}.csv"
            with archive.open(name, "w", force_zip64=True) as entry:
                columns, rows, sha = _copy(table, seat.org_id, entry)
            manifest["tables"][table] = {
                "file": name, "columns": columns, "rows": rows, "sha256": sha,
            }  # fmt: skip
            total += rows
        manifest["receipts"] = _receipts(seat.org_id, archive)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
        archive.writestr(
            "README.md",
            README.format(
                name=org_name, generated=manifest["generated_at"], version=SCHEMA_VERSION
            ),
        )
    return total


def _file(archive: zipfile.ZipFile, key: str, name: str) -> dict[str, Any]:
    """One stored file into the zip, hashed on the way."""
    sha, size = hashlib.sha256(), 0
    with storage.storage().open(key) as source, archive.open(name, "w", force_zip64=True) as entry:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            entry.write(chunk)
    return {"file": name, "sha256": sha.hexdigest(), "size": size}


def _receipts(org_id: int, archive: zipfile.ZipFile) -> list[dict[str, Any]]:
    """Each receipt's file (and thumbnail) as `receipts/<id>.<ext>`, with its checksum."""
    found = db.session.scalars(
        db.select(Receipt).where(Receipt.org_id == org_id).order_by(Receipt.id)
    )
    listed = []
    for receipt in found:
        name = f"receipts/{receipt.id}.{ACCEPTED.get(receipt.content_type, 'bin')}"
        entry = {"id": receipt.id, **_file(archive, receipt.storage_key, name)}
        if receipt.thumbnail_key:
            thumb = _file(archive, receipt.thumbnail_key, f"receipts/{receipt.id}.thumbnail.jpg")
            entry["thumbnail"] = thumb
        listed.append(entry)
    return listed
