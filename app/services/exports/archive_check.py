"""Is this upload an intact Outlay archive this version can read? Checked before any change.

The zip is recognised by its first bytes (`filetype`), never by its name or Content-Type; the
manifest must be of a format version this Outlay reads; every file it lists must be there with
the SHA-256 it names (a changed byte is a tampered archive) and nothing may be there that it
does not list; receipt files must be of a receipt type, judged by content. Every failure is an
`Invalid` naming the `file` field and saying what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import filetype

from app.errors import Invalid
from app.services.exports.archive_format import (
    FORMAT,
    IDENTIFIER,
    NOT_ARCHIVED,
    SCHEMA_VERSION,
    tenant_tables,
)
from app.services.receipts.receipts import ACCEPTED

CHUNK = 1024 * 1024
FIXED = {"manifest.json", "README.md"}


def refuse(message: str) -> Invalid:
    return Invalid({"file": message})


@dataclass
class Checked:
    manifest: dict[str, Any]
    tables: dict[str, dict[str, Any]]
    receipts: dict[int, dict[str, Any]]  # old receipt id -> its manifest entry
    people: dict[int, str]  # old user id -> email


def is_zip(head: bytes) -> bool:
    return filetype.guess_mime(head) == "application/zip"


def _sha_and_head(archive: zipfile.ZipFile, name: str) -> tuple[str, int, bytes]:
    sha, size, head = hashlib.sha256(), 0, b""
    with archive.open(name) as entry:
        while chunk := entry.read(CHUNK):
            if not head:
                head = chunk[:262]
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size, head


def _file(archive: zipfile.ZipFile, entry: Any, what: str, names: set[str]) -> bytes:
    """Check one listed file against its checksum; returns its first bytes."""
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        raise refuse(f"The manifest's entry for {what} is malformed.")
    if entry["file"] not in names:
        raise refuse(f"The archive lacks {entry['file']}, which its manifest lists.")
    sha, size, head = _sha_and_head(archive, entry["file"])
    if sha != entry.get("sha256") or ("size" in entry and size != entry["size"]):
        raise refuse(
            f"{entry['file']} does not match its checksum in the manifest: the archive was "
            "changed or damaged after it was made. Nothing was imported."
        )
    return head


def manifest_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError:
        raise refuse("This zip has no manifest.json: it is not an Outlay archive.") from None
    except ValueError:
        raise refuse("The archive's manifest.json is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse("This zip's manifest is not an Outlay archive's.")
    version = manifest.get("version")
    if version != SCHEMA_VERSION:
        raise refuse(
            f"This archive is format version {version!r}; this Outlay reads version "
            f"{SCHEMA_VERSION}."
        )
    if not isinstance(manifest.get("tables"), dict) or not isinstance(manifest.get("org"), dict):
        raise refuse("The archive's manifest lacks its tables or its org.")
    return manifest


def check(archive: zipfile.ZipFile, max_expanded: int) -> Checked:
    """Every check of the archive; raises Invalid."""
    try:
        names = {info.filename for info in archive.infolist()}
        if sum(info.file_size for info in archive.infolist()) > max_expanded:
            raise refuse(f"The archive unpacks to more than {max_expanded // 2**20} MB.")
        return _check(archive, names)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise refuse(f"The zip file is damaged ({error}).") from None


def _check(archive: zipfile.ZipFile, names: set[str]) -> Checked:
    manifest = manifest_of(archive)
    known, listed = set(tenant_tables()), set(FIXED)
    tables: dict[str, dict[str, Any]] = {}
    for table, entry in manifest["tables"].items():
        if not IDENTIFIER.fullmatch(str(table)) or table not in known or table in NOT_ARCHIVED:
            raise refuse(f"The archive has a table this Outlay does not know: {table!r}.")
        _file(archive, entry, f"table {table}", names)
        columns = entry.get("columns")
        if entry["file"] != f"tables/{table}.csv" or not (
            isinstance(columns, list) and all(IDENTIFIER.fullmatch(str(c)) for c in columns)
        ):
            raise refuse(f"The manifest's entry for table {table} is malformed.")
        tables[table], listed = entry, listed | {entry["file"]}
    receipts: dict[int, dict[str, Any]] = {}
    for entry in manifest.get("receipts") or []:
        head = _file(archive, entry, "a receipt", names)
        if filetype.guess_mime(head) not in ACCEPTED or not isinstance(entry.get("id"), int):
            raise refuse(f"{entry['file']} is not a receipt (a photo or a PDF).")
        listed.add(entry["file"])
        if "thumbnail" in entry:
            if filetype.guess_mime(_file(archive, entry["thumbnail"], "a thumbnail", names)) != (
                "image/jpeg"
            ):
                raise refuse(f"{entry['thumbnail']['file']} is not a JPEG thumbnail.")
            listed.add(entry["thumbnail"]["file"])
        receipts[entry["id"]] = entry
    if extra := sorted(names - listed):
        raise refuse(f"The archive holds files its manifest does not list: {', '.join(extra[:3])}.")
    people = {
        int(p["id"]): str(p["email"]).lower()
        for p in manifest.get("people") or []
        if isinstance(p, dict) and isinstance(p.get("id"), int)
    }
    return Checked(manifest, tables, receipts, people)
