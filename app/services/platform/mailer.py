"""Outgoing mail through Flask-Mail.

With no MAIL_SERVER (development) Flask-Mail suppresses sending; every dispatched message is
still printed to the console and kept as an .eml file in the instance outbox.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_mail import Message, email_dispatched

from app.extensions import mail


def send(to: str, subject: str, body: str, html: str | None = None) -> None:
    subject = " ".join(subject.split())  # user text in a subject must not break the header
    mail.send(Message(subject=subject, recipients=[to], body=body, html=html))


def send_message(message: Message) -> None:
    mail.send(message)


def _keep_in_outbox(app: Any, message: Message, **_kwargs: Any) -> None:
    if not app.config.get("MAIL_SUPPRESS_SEND"):
        return
    outbox: Path = app.config["OUTLAY_OUTBOX"]
    # Owner-only: these files hold reset and invitation links (live credentials).
    outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"{stamp}-{secrets.token_hex(3)}"
    partial = outbox / f".{name}.partial"
    # Created 0600 in one step (O_EXCL; a umask can only narrow it), never readable by others,
    # not even for a moment between a write and a chmod. Written under a name no reader looks
    # for, then renamed (atomic in one directory): an .eml is whole from the moment it exists.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(message.as_string())
    os.replace(partial, outbox / f"{name}.eml")
    print(
        f"--- mail to {', '.join(message.recipients)}: {message.subject}\n{message.body}\n---",
        file=sys.stderr,
    )


def init_app(app: Flask) -> None:
    email_dispatched.connect(_keep_in_outbox)


def outbox_messages() -> list[Path]:
    return sorted(current_app.config["OUTLAY_OUTBOX"].glob("*.eml"))
