"""Sign-in sessions that the server can end: one row per signed-in browser.

Flask-Login keeps `"<fs_uniquifier>:<key>"` as the user id in the session cookie and in the
remember cookie. Loading the user is one indexed lookup that also checks the row is live, so
logging out, "sign out everywhere", a password change or reset, and an idle limit end a session
for every copy of its cookies. The key itself is never stored, only its digest.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    Interval,
    bindparam,
    column,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.models import User, UserSession
from tenants.context import current, set_tenant

# A row's last_seen_at is written at most this often: reading a page is not a write.
TOUCH_EVERY = timedelta(minutes=5)
SEPARATOR = ":"


@dataclass(frozen=True)
class Loaded:
    user: User
    session_id: int
    digest: str


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, user_agent: str, ip: str | None) -> tuple[str, str]:
    """Record a new signed-in session; returns (login id for the cookie, its digest).

    The row is added to the database session; the caller's request commits it.
    """
    key = secrets.token_urlsafe(32)
    row_digest = digest(key)
    _as_user(user.id)
    db.session.add(
        UserSession(user_id=user.id, digest=row_digest, user_agent=(user_agent or "")[:255], ip=ip)
    )
    return f"{user.fs_uniquifier}{SEPARATOR}{key}", row_digest


def load(login_id: str, max_idle: timedelta) -> Loaded | None:
    """The active user behind a cookie's login id, if its session is still live."""
    uniquifier, _, key = str(login_id).partition(SEPARATOR)
    if not uniquifier or not key:
        return None  # a cookie from before sessions were revocable: sign in again
    row_digest = digest(key)
    # RLS keeps session rows to their own user; before anyone is known, the cookie's digest
    # opens its row through a SECURITY DEFINER function (migration 0008). The user, with their
    # platform roles (Flask-Principal reads them), comes in the same statement: one round trip.
    found = (
        db.session.execute(
            _OPEN_WITH_USER, {"digest": row_digest, "uniquifier": uniquifier, "idle": max_idle}
        )
        .unique()
        .first()
    )
    if found is None:
        return None
    user, session_id, last_seen = found
    if last_seen < clock.now() - TOUCH_EVERY:
        # Its own short transaction: the request's session may be read-only or roll back.
        with db.engine.begin() as connection:
            connection.execute(_TOUCH, {"digest": row_digest})
    return Loaded(user, session_id, row_digest)


_OPENED = (
    func.outlay_session_open(
        bindparam("digest"), bindparam("uniquifier"), bindparam("idle", type_=Interval())
    )
    .table_valued(
        column("user_id", Integer()),
        column("session_id", BigInteger()),
        column("last_seen_at", DateTime(timezone=True)),
    )
    .alias("opened")
)
_OPEN_WITH_USER = (
    select(User, _OPENED.c.session_id, _OPENED.c.last_seen_at)
    .join_from(_OPENED, User, User.id == _OPENED.c.user_id)
    .options(joinedload(User.roles))
)
_TOUCH = text("SELECT outlay_session_touch(:digest)")


def _as_user(user_id: int) -> None:
    """Write session rows as their user (RLS on user_sessions: a row is its user's own)."""
    tenant = current(db.session)
    if tenant.user_id != user_id:
        set_tenant(db.session, tenant.org_id, user_id)


def active(user_id: int, max_idle: timedelta) -> list[UserSession]:
    return list(
        db.session.scalars(
            db.select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.revoked_at.is_(None),
                UserSession.last_seen_at > clock.now() - max_idle,
            )
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def revoke(user_id: int, session_id: int) -> bool:
    """End one of the user's sessions; False if there is no such live session of theirs."""
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
        )
        .values(revoked_at=clock.now())
    )
    db.session.commit()
    return bool(result.rowcount)


def end(row_digest: str) -> None:
    """End the session with this digest (logout) and commit."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.digest == row_digest, UserSession.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    db.session.commit()


def save() -> None:
    """Commit this request's session bookkeeping (a sign-in's new row, revocations)."""
    db.session.commit()


def revoke_all(user_id: int, keep_digest: str | None = None) -> None:
    """End every session of the user (but `keep_digest`, the one that asked, if given)."""
    _as_user(user_id)  # a reset ends sessions before anyone is signed in
    query = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keep_digest:
        query = query.where(UserSession.digest != keep_digest)
    db.session.execute(query.values(revoked_at=clock.now()))


def sign_out_everywhere(user_id: int) -> None:
    revoke_all(user_id)
    db.session.commit()


_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)
_SPACE = re.compile(r"\s+")


def describe(user_agent: str) -> str:
    """A person's words for a browser ("Firefox on Linux"), or the agent as sent."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return _SPACE.sub(" ", user_agent).strip()[:80] or "Unknown browser"
