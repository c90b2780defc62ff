"""The one way HTML forms take input and show per-field errors.

A service validates and raises `Invalid({field: message})`; the view holds what was posted in a
`Form`, runs the service through `Form.submit`, and on failure renders the same template again
with the typed values and the errors. The template draws each field with the macros in
`templates/_form.html`, which take the label from `Form.labels`: the text beside the field and
the text naming it in the error summary are one string, so an error always names the field as
the form labels it. Forms that redirect instead (one-button actions) use `flash_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import flash, g, request

from app import clock
from app.errors import Invalid
from app.services.orgs.orgs import CURRENCIES

NOT_INPUT = frozenset({"csrf_token", "submit"})


def humanise(name: str) -> str:
    """A readable name for a field no form labels (`due_date` -> "Due date")."""
    return name.replace("_id", "").replace("_", " ").strip().capitalize() or name


@dataclass
class Form:
    """What one HTML form shows: labels by field name, the values to show, the errors."""

    labels: Mapping[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    prefix: str = ""  # for element ids when one page carries several forms
    result: Any = None

    @classmethod
    def posted(
        cls, labels: Mapping[str, str], *, flags: tuple[str, ...] = (), prefix: str = ""
    ) -> Form:
        """The posted form as typed (text stays text); an unticked checkbox in `flags` is
        False, a ticked one True, since a browser sends nothing for an unticked box."""
        values: dict[str, Any] = {k: v for k, v in request.form.items() if k not in NOT_INPUT}
        for name in flags:
            values[name] = name in request.form
        return cls(labels, values, prefix=prefix)

    def submit(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run the service; True when it accepted the input (its return value is `result`)."""
        try:
            self.result = action(*args, **kwargs)
        except Invalid as error:
            self.errors = dict(error.errors) or {"body": error.detail}
            return False
        return True

    @property
    def status(self) -> int:
        return 422 if self.errors else 200

    def label(self, name: str) -> str:
        return self.labels.get(name) or humanise(name)

    def id(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def value(self, name: str, default: Any = "") -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def selected(self, name: str, option: Any) -> bool:
        return str(self.value(name)) == str(option)

    def checked(self, name: str) -> bool:
        return self.value(name, False) in (True, "1", "on", "true", "yes")

    def summary(self) -> list[tuple[str | None, str]]:
        """(element id or None, "Label: message") for each error, in the form's field order."""
        order = list(self.labels)
        names = sorted(self.errors, key=lambda n: order.index(n) if n in order else len(order))
        return [
            (self.id(n), f"{self.label(n)}: {self.errors[n]}")
            if n in self.labels
            else (None, self.errors[n] if n == "body" else f"{humanise(n)}: {self.errors[n]}")
            for n in names
        ]

    def flash_errors(self) -> None:
        for _target, text in self.summary():
            flash(text, "danger")


def flash_invalid(error: Invalid, labels: Mapping[str, str]) -> None:
    """For a form that redirects: flash each error, named by its label."""
    Form(labels, errors=dict(error.errors) or {"body": error.detail}).flash_errors()


# --- choices several forms offer ---------------------------------------------------------------

CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]


def in_base_currency(labels: Mapping[str, str]) -> dict[str, str]:
    """`labels` with the amount's label naming the org's base currency, which the amount is
    entered in (the field keeps its place: errors are listed in the form's order)."""
    return {**labels, "amount": f"Amount ({g.seat.base_currency})"}


ZONE_HELP = "When a day and a month begin for the organisation: today, this month, budgets."


def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, UTC first (sign-up, new org and settings offer the same list)."""
    names = sorted(n for n in clock.zone_names() if n != clock.DEFAULT_ZONE)
    return [(clock.DEFAULT_ZONE, clock.DEFAULT_ZONE), *((n, n.replace("_", " ")) for n in names)]
