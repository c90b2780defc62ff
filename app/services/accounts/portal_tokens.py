"""The hand-over from the web app to the analytics portal: a short-lived, single-use token.

The web app mints a token naming user, org and role, signed with the app's SECRET_KEY, valid
for at most 60 seconds. The portal verifies it and spends it: the token's id is claimed in
Redis with SET NX, so a second use (a replayed or shared link) is refused even within its
minute. The portal then keeps the identity in its own session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from redis import Redis

from tenants.roles import Role

SALT = "outlay-portal-handover"
MAX_AGE = 60  # seconds


class Refused(Exception):
    """The token is missing, expired, tampered with or spent; the message says which."""


@dataclass(frozen=True)
class Identity:
    user_id: int
    org_id: int
    org_slug: str
    role: str


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def mint(secret_key: str, user_id: int, org_id: int, org_slug: str, role: str) -> str:
    payload = {"u": user_id, "o": org_id, "s": org_slug, "r": role, "j": secrets.token_hex(16)}
    return _serializer(secret_key).dumps(payload)


def verify(secret_key: str, token: str | None, redis: Redis, *, prefix: str = "") -> Identity:
    """The identity a fresh token names, spending it; Refused for anything else."""
    if not token:
        raise Refused("Open Analytics from Outlay.")
    try:
        data = _serializer(secret_key).loads(token, max_age=MAX_AGE)
        identity = Identity(int(data["u"]), int(data["o"]), str(data["s"]), Role(data["r"]).value)
        jti = str(data["j"])
    except SignatureExpired:
        raise Refused("This link has expired. Open Analytics from Outlay again.") from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise Refused("This link is not valid. Open Analytics from Outlay.") from None
    if not redis.set(f"{prefix}portal-token:{jti}", "spent", nx=True, ex=MAX_AGE * 2):
        raise Refused("This link has already been used. Open Analytics from Outlay again.")
    return identity
