"""Personal API tokens: shown once, stored as a SHA-256 digest, revocable from the profile.

A token acts as its user in every org the user belongs to, with the user's role there.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text

from app import clock
from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import ApiToken
from app.plain_text import one_line_problem
from tenants.context import current, enter, set_tenant

PREFIX = "olt_"
MAX_TOKENS = 20
# A token's last use is written at most this often (migration 0017): reading is not a write.
USE_RECORDED_EVERY = timedelta(minutes=5)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _act_as(user_id: int) -> None:
    """Token rows are readable and writable only as their user (RLS on `app.user_id`): a
    request already acting as someone else cannot reach another user's tokens."""
    tenant = current(db.session)
    if tenant.user_id is None:
        set_tenant(db.session, tenant.org_id, user_id)
    elif tenant.user_id != user_id:
        raise NotFound("No such token.")


def tokens(user_id: int) -> list[ApiToken]:
    _act_as(user_id)
    return list(
        db.session.scalars(
            db.select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id.desc())
        )
    )


def issue(user_id: int, name: object) -> str:
    """Create a token and return it in clear: the only time anyone sees it."""
    if not isinstance(name, str) or not name.strip():
        raise Invalid({"name": "Name the token after where you will use it."})
    if len(name.strip()) > 60:
        raise Invalid({"name": "Keep the name to 60 characters or fewer."})
    if problem := one_line_problem(name.strip(), "name"):
        raise Invalid({"name": problem})
    if len(tokens(user_id)) >= MAX_TOKENS:  # tokens() also makes user_id the acting user
        raise Invalid({"name": f"You have {MAX_TOKENS} tokens; revoke one first."})
    secret = PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user_id=user_id, name=name.strip(), prefix=secret[:12], digest=digest(secret))
    )
    db.session.commit()
    return secret


def revoke(user_id: int, token_id: int) -> None:
    _act_as(user_id)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id or token.revoked_at is not None:
        raise NotFound("No such token.")
    token.revoked_at = clock.now()
    db.session.commit()


@dataclass(frozen=True, slots=True)
class Access:
    """What the token lookup answers: the fields a Seat is built from, and the org's name.
    The org fields and `role` are None when the user is not a member there."""

    user_id: int
    org_id: int | None
    org_slug: str | None
    org_name: str | None
    base_currency: str | None
    time_zone: str | None
    role: str | None
    use_to_record: str | None = None  # the digest, when the last recorded use is old


LOOKUP = "SELECT * FROM outlay_token_access(:digest, :slug)"
_TOUCH = text("SELECT outlay_token_touch(:digest)")


def resolve(token: str, slug: str | None) -> Access | None:
    """Who a bearer token is, and their role in the org `slug`, in one SQL statement that also
    sets the tenant (org and user) when they are a member there (`tenants.context.enter`).

    None for an unknown or revoked token. `role` is None when the user is not a member (or the
    org does not exist); callers answer 404 then, as for the web.
    """
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    token_digest = digest(token)
    row = enter(db.session, LOOKUP, {"digest": token_digest, "slug": slug})
    if row is None:
        return None
    due = row.last_used_at is None or row.last_used_at < clock.now() - USE_RECORDED_EVERY
    return Access(
        row.user_id,
        row.org_id,
        row.slug,
        row.org_name,
        row.base_currency,
        row.time_zone,
        row.role,
        token_digest if due else None,
    )


def record_use(token_digest: str) -> None:
    """Write that the token was used now, in a short transaction of its own: the request's
    may roll back (every GET does), and a write there would hold the token's row locked
    against the token's other requests until the request ended. Call it once the request's
    session has let go of its connection (a pool of one would wait for itself)."""
    with db.engine.begin() as connection:
        connection.execute(_TOUCH, {"digest": token_digest})
