"""Where export files live: `OUTLAY_EXPORTS_DIR/<org id>/<random name>.<ext>`.

A file's name is random (never the user's title) and its path is kept relative in the
`exports` row; the download view finds it only through a row the requester may see (RLS and
`export_jobs.download`), so knowing a name gets no one a file.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app


def folder() -> Path:
    return Path(current_app.config["OUTLAY_EXPORTS_DIR"])


def new_file(org_id: int, extension: str) -> tuple[str, Path]:
    """A fresh, unused place for an org's file: (stored_as, absolute path)."""
    stored_as = f"{int(org_id)}/{secrets.token_urlsafe(18)}.{extension}"
    path = folder() / stored_as
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return stored_as, path


def path_of(stored_as: str) -> Path | None:
    """The file of a stored name, if it is inside the folder and still there."""
    if not stored_as:
        return None
    base = folder().resolve()
    path = (base / stored_as).resolve()
    if base not in path.parents or not path.is_file():
        return None
    return path


def digest(path: Path) -> tuple[int, str]:
    """(size in bytes, SHA-256 hex) of a written file."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return path.stat().st_size, sha.hexdigest()


def remove(stored_as: str) -> None:
    if path := path_of(stored_as):
        path.unlink(missing_ok=True)
