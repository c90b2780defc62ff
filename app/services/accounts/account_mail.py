"""Password-reset and confirmation mail, decided by a job and never in the request.

`/reset` and `/confirm` answer every address the same way, so the request must also do the
same work for every address: it looks the account up and enqueues exactly one mail job
(`request_mail`), known address or not. The job (workers/jobs/mail.py) decides what, if
anything, to send (`send_reset`, `send_confirmation`), so no SMTP conversation, token signing
or template rendering can make a known address slower to answer than an unknown one.
Flask-Security builds the links; `app.links.OutlayFlask` puts them on the base URL.
"""

from __future__ import annotations

import logging

from flask_security.confirmable import requires_confirmation, send_confirmation_instructions
from flask_security.recoverable import send_reset_password_instructions
from flask_security.utils import get_identity_attribute
from redis.exceptions import RedisError

from app import jobs
from app.extensions import db, security
from app.models import User

log = logging.getLogger("outlay.account_mail")
JOBS = {"reset": jobs.SEND_RESET, "confirm": jobs.SEND_CONFIRMATION}


def request_mail(kind: str, email: str) -> None:
    """Look `email` up and enqueue one `kind` mail job, whether or not an account has it."""
    # The same lookup Flask-Security's own forms make (it normalised the address already).
    case_insensitive = get_identity_attribute("email").get("case_insensitive", False)
    user = security.datastore.find_user(case_insensitive=case_insensitive, email=email)
    user_id = user.id if user is not None else None
    try:
        jobs.enqueue(JOBS[kind], user_id)
    except RedisError:  # the answer stays the same; the person can ask again
        log.exception("could not enqueue the %s mail", kind)


def _account(user_id: int | None) -> User | None:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.active else None


def send_reset(user_id: int | None) -> str:
    """Reset instructions; an unconfirmed account gets the confirmation mail instead (it must
    confirm before it can reset); unknown or disabled accounts get nothing."""
    user = _account(user_id)
    if user is None:
        return "nothing"
    if requires_confirmation(user):
        send_confirmation_instructions(user)
        return "confirmation"
    send_reset_password_instructions(user)
    return "reset"


def send_confirmation(user_id: int | None) -> str:
    """Confirmation instructions for an unconfirmed account; nothing for anyone else."""
    user = _account(user_id)
    if user is None or user.confirmed_at is not None:
        return "nothing"
    send_confirmation_instructions(user)
    return "confirmation"
