"""Restore a checked archive into a new org: every `RESTORED` table, ids remapped, in the
caller's one transaction (docs/exports.md).

Each table's CSV is loaded by PostgreSQL itself (`COPY ... FROM STDIN` into a temporary copy
of the table, so NULL and the empty string, arrays and JSON read back exactly as written).
Every row gets a new id from the table's own identity; the references found in the catalog
(`archive_format.shape`) are rewritten through the new ids of the table they point into, so a
category's parent, a transaction's category and rule, a budget's category and a receipt's
transaction all point into the new org. A reference to a row the archive lacks refuses the
archive. People: rows of the importer's own (the same email in the manifest's `people`) stay
theirs; others' rows keep no author (as when a person's account is deleted), except where a
person is required (a saved view), which the importer then owns. Receipt files are copied into
storage under new keys; if anything fails they are removed again and the transaction rolls back.
"""

# Every name spliced into SQL here is a catalog identifier passed through `checked`; values
# are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import current_app
from sqlalchemy import text

from app import storage
from app.errors import Invalid
from app.extensions import db
from app.models import Organisation, SavedView, User
from app.seat import Seat
from app.services.exports.archive_check import Checked, refuse
from app.services.exports.archive_format import (
    REPLACED,
    RESTORED,
    TableShape,
    checked,
    restore_order,
    shape,
)
from app.services.orgs.orgs import currency_and_zone_errors

Progress = Callable[[int, str], None]
IDS = "_archive_ids"
# A saved view's query names categories, payment methods and people by id.
VIEW_REFS = {"category": "categories", "method": "payment_methods"}


def _run(sql: str, params: dict[str, Any] | None = None) -> Any:
    return db.session.execute(text(sql), params or {})


def ensure_new(seat: Seat) -> None:
    """Only an org with nothing of its own yet (its seeded defaults aside) takes an import."""
    for table in RESTORED:
        if table in REPLACED:
            continue
        if _run(
            f'SELECT 1 FROM "{checked(table)}" WHERE org_id = :o LIMIT 1', {"o": seat.org_id}
        ).first():
            raise refuse(
                f"This organisation already has {table.replace('_', ' ')}: an archive is "
                "imported into a new, empty organisation."
            )


def _settings(seat: Seat, found: Checked) -> None:
    org = db.session.get(Organisation, seat.org_id)
    settings = found.manifest["org"]
    currency, zone = str(settings.get("base_currency")), str(settings.get("time_zone"))
    fiscal = settings.get("fiscal_year_start", 1)
    if currency_and_zone_errors(currency, zone) or fiscal not in range(1, 13):
        raise refuse("The archive's organisation settings (currency, time zone) are not valid.")
    org.base_currency, org.time_zone, org.fiscal_year_start = currency, zone, fiscal


def _copy_in(archive: zipfile.ZipFile, table: TableShape, entry: dict[str, Any]) -> str:
    stage = checked(f"_stage_{table.name}")
    columns = [str(c) for c in entry["columns"]]
    if unknown := [c for c in columns if c not in table.columns]:
        raise refuse(f"Table {table.name} of the archive has unknown columns: {unknown}.")
    if "id" not in columns or "org_id" not in columns:
        raise refuse(f"Table {table.name} of the archive lacks its id or org_id column.")
    _run(f'CREATE TEMP TABLE "{stage}" (LIKE "{table.name}" INCLUDING DEFAULTS) ON COMMIT DROP')
    _run(f'ALTER TABLE "{stage}" ADD COLUMN _done boolean DEFAULT false, ADD COLUMN _now boolean')
    listed = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{stage}" ({listed}) FROM STDIN WITH (FORMAT csv, HEADER true)'
    cursor = db.session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with archive.open(entry["file"]) as source:
            cursor.copy_expert(sql, source)
    except Exception as error:  # the database names the line and the value it could not read
        raise refuse(f"Table {table.name} of the archive could not be read: {error}") from None
    finally:
        cursor.close()
    rows, orgs = _run(f'SELECT count(*), count(DISTINCT org_id) FROM "{stage}"').one()
    if rows != entry.get("rows") or orgs > 1:
        raise refuse(f"Table {table.name} does not hold the rows its manifest says.")
    return stage


def _remap(table: TableShape, stage: str) -> None:
    for column, target in table.refs.items():
        column = checked(column)
        if target == table.name:
            continue  # a row of this table: remapped as its rows go in (`_insert`)
        array = table.columns[column] == "ARRAY"
        if array:
            _run(
                f'UPDATE "{stage}" s SET "{column}" = ARRAY(SELECT m.new FROM unnest(s."{column}") '
                f"WITH ORDINALITY u(v, o) JOIN {IDS} m ON m.tbl = :t AND m.old = u.v ORDER BY u.o)",
                {"t": target},
            )
            continue
        lost = _run(
            f'SELECT count(*) FROM "{stage}" s WHERE s."{column}" IS NOT NULL AND NOT EXISTS '
            f'(SELECT 1 FROM {IDS} m WHERE m.tbl = :t AND m.old = s."{column}")',
            {"t": target},
        ).scalar_one()
        if lost:
            raise refuse(f"{lost} rows of {table.name} point to {target} the archive lacks.")
        _run(
            f'UPDATE "{stage}" s SET "{column}" = m.new FROM {IDS} m '
            f'WHERE m.tbl = :t AND m.old = s."{column}"',
            {"t": target},
        )


def _people(table: TableShape, stage: str, mine: list[int], importer: int) -> None:
    for column in map(checked, table.people):
        other = "NULL" if column in table.nullable else ":me"
        _run(
            f'UPDATE "{stage}" SET "{column}" = CASE WHEN "{column}" = ANY(:mine) THEN :me '
            f'ELSE {other} END WHERE "{column}" IS NOT NULL',
            {"mine": mine, "me": importer},
        )


def _receipt_files(
    archive: zipfile.ZipFile, found: Checked, seat: Seat, stage: str, written: list[str]
) -> None:
    store, limit = storage.storage(), int(current_app.config["OUTLAY_RECEIPT_MAX_BYTES"])
    for (old_id,) in _run(f'SELECT id FROM "{stage}" ORDER BY id').all():
        entry = found.receipts.get(old_id)
        if entry is None:
            raise refuse(f"Receipt {old_id}'s file is missing from the archive.")
        keys = {}
        for column, item in (("storage_key", entry), ("thumbnail_key", entry.get("thumbnail"))):
            if item is None:
                keys[column] = None
                continue
            key = storage.new_key(f"receipts/{seat.org_id}")
            written.append(key)
            with archive.open(item["file"]) as source:
                store.put(
                    key, iter(lambda s=source: s.read(1 << 20), b""), max(limit, item["size"])
                )
            keys[column] = key
        _run(
            f'UPDATE "{stage}" SET storage_key = :storage_key, thumbnail_key = :thumbnail_key '
            "WHERE id = :id",
            {**keys, "id": old_id},
        )


def _insert(table: TableShape, stage: str, columns: list[str]) -> int:
    """Insert the staged rows with new ids and record old -> new. The new ids come from the
    table's identity as the rows go in, in the order of their old ids (a sorted subquery feeds
    the insert), so sorting both lists pairs them. Rows pointing into their own table go in
    rounds: a row once the row it points to has its new id (a category after its parent)."""
    own = [checked(c) for c, t in table.refs.items() if t == table.name]
    ready = (
        " AND ".join(
            f'(s."{c}" IS NULL OR EXISTS '
            f'(SELECT 1 FROM {IDS} m WHERE m.tbl = :t AND m.old = s."{c}"))'
            for c in own
        )
        or "true"
    )
    listed = ", ".join(f'"{c}"' for c in columns)
    total = 0
    while True:
        _run(f'UPDATE "{stage}" s SET _now = NOT _done AND {ready}', {"t": table.name})
        for column in own:
            _run(
                f'UPDATE "{stage}" s SET "{column}" = m.new FROM {IDS} m '
                f'WHERE s._now AND m.tbl = :t AND m.old = s."{column}"',
                {"t": table.name},
            )
        old = list(_run(f'SELECT id FROM "{stage}" WHERE _now ORDER BY id').scalars())
        if not old:
            break
        new = sorted(_run(
            f'INSERT INTO "{table.name}" ({listed}) SELECT {listed} FROM '
            f'(SELECT {listed}, id AS _old FROM "{stage}" WHERE _now ORDER BY id) AS s RETURNING id'
        ).scalars())  # fmt: skip
        _run(
            f"INSERT INTO {IDS} SELECT :t, unnest(CAST(:old AS bigint[])), "
            "unnest(CAST(:new AS bigint[]))",
            {"t": table.name, "old": old, "new": new},
        )
        _run(f'UPDATE "{stage}" SET _done = true WHERE _now')
        total += len(old)
    if left := _run(f'SELECT count(*) FROM "{stage}" WHERE NOT _done').scalar_one():
        raise refuse(f"{left} rows of {table.name} point to {table.name} the archive lacks.")
    return total


def _saved_views(seat: Seat, mine: list[int], importer: int) -> None:
    """Rewrite the ids inside saved views' queries (no foreign key can reach them)."""
    for view in db.session.scalars(db.select(SavedView).where(SavedView.org_id == seat.org_id)):
        pairs = []
        for key, value in parse_qsl(view.query, keep_blank_values=True):
            if key in VIEW_REFS and value.isdigit():
                value = str(_run(
                    f"SELECT new FROM {IDS} WHERE tbl = :t AND old = :o",
                    {"t": VIEW_REFS[key], "o": int(value)},
                ).scalar() or "")  # fmt: skip
            elif key == "created_by" and value.isdigit():
                value = str(importer) if int(value) in mine else ""
            if value:
                pairs.append((key, value))
        view.query = urlencode(pairs)


def restore(
    seat: Seat, archive: zipfile.ZipFile, found: Checked, progress: Progress, written: list[str]
) -> dict[str, int]:
    """Load the archive into `seat`'s org; the caller commits (or rolls back on Invalid)."""
    ensure_new(seat)
    _settings(seat, found)
    importer = db.session.get(User, seat.user_id)
    if importer is None:
        raise Invalid({"file": "An import is made by a person."})
    mine = [i for i, email in found.people.items() if email == importer.email.lower()]
    for table in REPLACED:
        _run(f'DELETE FROM "{checked(table)}" WHERE org_id = :o', {"o": seat.org_id})
    _run(f"CREATE TEMP TABLE {IDS} (tbl text, old bigint, new bigint, PRIMARY KEY (tbl, old)) "
         "ON COMMIT DROP")  # fmt: skip
    shapes = {t: shape(t) for t in RESTORED if t in found.tables}
    counts: dict[str, int] = {}
    for done, name in enumerate(restore_order(shapes)):
        table, entry = shapes[name], found.tables[name]
        progress(5 + 90 * done // len(shapes), f"Restoring {name.replace('_', ' ')}")
        stage = _copy_in(archive, table, entry)
        _remap(table, stage)
        _people(table, stage, mine, int(importer.id))
        _run(f'UPDATE "{stage}" SET org_id = :o', {"o": seat.org_id})
        if name == "receipts":
            _receipt_files(archive, found, seat, stage, written)
        counts[name] = _insert(table, stage, [checked(c) for c in entry["columns"] if c != "id"])
        _run(f'DROP TABLE "{stage}"')
    _saved_views(seat, mine, int(importer.id))
    return counts
