"""The login form: a right password on an unconfirmed account says so, and offers a new mail.

Flask-Security's generic answers (`SECURITY_RETURN_GENERIC_RESPONSES`) turn "email requires
confirmation" into "Authentication failed", which left people stuck. Only someone who typed the
account's password is told, so the answer reveals nothing about who else has an account: a
wrong password or an unknown address still gets the generic answer.
"""

from __future__ import annotations

from typing import Any

from flask_security import LoginForm

NOT_CONFIRMED = (
    "Your email address is not confirmed yet. Open the link in the mail we sent when you "
    "signed up, or send a new one."
)


class OutlayLoginForm(LoginForm):
    def validate(self, **kwargs: Any) -> bool:
        valid = super().validate(**kwargs)
        self.offer_confirmation = bool(self.user_authenticated and self.requires_confirmation)
        if self.offer_confirmation and self.ifield is not None:
            # Off the field (where the generic answer would replace it), onto the form.
            self.ifield.errors = []
            self.form_errors.append(NOT_CONFIRMED)
        return valid
