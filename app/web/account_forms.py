"""The forgot-password and resend-confirmation forms: one mail job per request, never a mail.

Flask-Security's own forms look the account up and the view then sends the mail inside the
request (token, template, SMTP) for a known address only, so the answer's timing tells who has
an account. These forms check only the address's syntax, then hand it to
`account_mail.request_mail`, which looks the account up and enqueues one job either way, and
answer "not valid" with no field error: Flask-Security then takes its generic path and shows
the same "instructions sent" message for every address. The job decides what to send.
"""

from __future__ import annotations

from typing import Any

from flask_security.forms import (
    EmailValidation,
    ForgotPasswordForm,
    IsString,
    SendConfirmationForm,
    _get_form_field_label,
    email_required,
)
from wtforms import EmailField

from app.services.accounts import account_mail


def _email_field() -> EmailField:
    # Flask-Security's field minus `valid_user_email`: the lookup moves to the service.
    return EmailField(
        _get_form_field_label("email"),
        render_kw={"autocomplete": "email"},
        validators=[IsString(), email_required, EmailValidation(verify=True)],
    )


class QueuedForgotPasswordForm(ForgotPasswordForm):
    email = _email_field()

    def validate(self, **kwargs: Any) -> bool:
        if super(ForgotPasswordForm, self).validate(**kwargs):
            account_mail.request_mail("reset", self.email.data)
        return False  # no errors: the view's generic answer, the same for every address


class QueuedSendConfirmationForm(SendConfirmationForm):
    email = _email_field()

    def validate(self, **kwargs: Any) -> bool:
        if super(SendConfirmationForm, self).validate(**kwargs):
            account_mail.request_mail("confirm", self.email.data)
        return False
