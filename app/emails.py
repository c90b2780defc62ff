"""Compose the app's own mail: render `templates/email/*` into a message, outside any request.

Mail jobs call this after the commit, with rows they loaded from ids (services never render
templates or build URLs). Every link in the context is absolute on the base URL
(`app.links`): `base` for app paths, `links.external_url` for endpoints.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_mail import Message

from app import links


def compose(
    to: str,
    subject: str,
    template: str,
    *,
    html: bool = True,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Message:
    """`email/<template>.txt` (and `.html`) rendered with `context` into one message to `to`."""
    context.setdefault("base", links.base_url())
    return Message(
        subject=" ".join(subject.split()),  # user text with a newline must not break the header
        recipients=[to],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context) if html else None,
        extra_headers=headers or None,
    )
