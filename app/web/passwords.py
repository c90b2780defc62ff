"""What makes a password acceptable: Flask-Security's length and zxcvbn checks, plus ours.

zxcvbn (`SECURITY_PASSWORD_COMPLEXITY_CHECKER`) refuses guessable passwords (`1234567890`,
`aaaaaaaaaa`, dictionary words) with its own reason. On top of it, a password may not contain
the account's email address or its local part, nor the organisation's name typed at sign-up
(or, when a signed-in person changes it, the names of their organisations).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import has_request_context, request
from flask_security import PasswordUtil

from app.services.orgs.orgs import orgs_of

MIN_PART = 3  # shorter parts ("jo", "ab") turn up by chance in strong passwords

CONTAINS_EMAIL = "A password must not contain your email address (or the part before the @)."
CONTAINS_ORG = "A password must not contain your organisation's name."


def _folded(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()


def _email_parts(email: str) -> list[str]:
    email = _folded(email.strip())
    return [email, email.partition("@")[0]]


def _org_names(is_register: bool, user: Any) -> list[str]:
    if is_register:
        return [request.form.get("organisation", "")] if has_request_context() else []
    user_id = getattr(user, "id", None)
    if not user_id:
        return []
    return [org.name for org, _role in orgs_of(user_id)]


def personal_problems(password: str, email: str, org_names: list[str]) -> list[str]:
    """Why `password` is too personal, as messages for the password field."""
    folded = _folded(password)
    problems = []
    if any(len(part) >= MIN_PART and part in folded for part in _email_parts(email)):
        problems.append(CONTAINS_EMAIL)
    names = [_folded(name.strip()) for name in org_names if name and name.strip()]
    if any(len(name) >= MIN_PART and name in folded for name in names):
        problems.append(CONTAINS_ORG)
    return problems


class OutlayPasswordUtil(PasswordUtil):
    def validate(self, password: str, is_register: bool, **kwargs: Any) -> tuple[list | None, str]:
        normalised = self.normalize(password)
        user = kwargs.get("user")
        email = kwargs.get("email") if is_register else getattr(user, "email", "")
        problems = personal_problems(normalised, email or "", _org_names(is_register, user))
        if problems:
            return problems, normalised
        if is_register and has_request_context():
            # The organisation typed at sign-up is not a user column, so Flask-Security does
            # not pass it to zxcvbn; let zxcvbn see it as a personal word too.
            kwargs = {**kwargs, "organisation": request.form.get("organisation", "")}
        return super().validate(password, is_register, **kwargs)
