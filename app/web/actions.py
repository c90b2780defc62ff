"""How a page's actions end, and the one-button routes, declared as a table.

An action that worked ends in `done(message, url)`: the message flashed, then the browser sent
to `url`, or to the list page of the blueprint (`index_url()`).

Many rows of a list carry a form that is only a button: its route runs one service call on the
object its URL names, flashes what happened and sends the browser back to the list. Declaring
them as one row each makes every such route answer the same way: the permission mark that the
role matrix and tests/integration/test_route_permissions.py check, the flash on success, and a
refusal of the service (`Conflict`: the last owner, a name already in use) flashed as an error
on the same list instead of an error page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from flask import Blueprint, flash, g, redirect, url_for
from werkzeug.wrappers import Response

from app.errors import Conflict
from tenants.permissions import Perm, requires


class Button(NamedTuple):
    run: Callable[..., Any]  # run(seat, the object id in the URL)
    message: str  # flashed when it ran
    path: str = ""  # the URL's last part, when it is not the endpoint's name


def index_url(anchor: str = "") -> str:
    """The list page of the blueprint serving this request, in the seat's org."""
    return url_for(".index", slug=g.seat.org_slug) + anchor


def done(message: str, to: str | None = None) -> Response:
    """Where an action that worked leads: back to `to` (the list) with `message`."""
    flash(message, "success")
    return redirect(to or index_url())


def add_buttons(
    bp: Blueprint,
    base: str,
    perm: Perm,
    buttons: Mapping[str, Button],
    back: Callable[[], str] = index_url,
) -> None:
    """POST `base`/<path> for each button, as the endpoint named by its key; `back()` is where
    the browser goes afterwards."""
    for endpoint, button in buttons.items():
        view = requires(perm)(_pressed(endpoint, button, back))
        bp.add_url_rule(f"{base}/{button.path or endpoint}", endpoint, view, methods=["POST"])


def _pressed(endpoint: str, button: Button, back: Callable[[], str]) -> Callable[..., Response]:
    def view(**object_id: int) -> Response:
        try:
            button.run(g.seat, *object_id.values())
        except Conflict as refusal:
            flash(refusal.detail, "danger")
            return redirect(back())
        return done(button.message, back())

    view.__name__ = view.__qualname__ = endpoint
    return view
