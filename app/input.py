"""The one parser of ids, dates, flags, text and unknown fields, for services and queries alike.

Every function raises `ValueError` with a sentence a user can act on; the caller files it under
the field's name. Money (amounts, rates, currencies) lives in `app/money.py`.

Also here: the rules every piece of text and every JSON body obeys whatever route it reaches
(`text_problem`, `load_json`), used by the request guard in `app/web/input_guard.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from app.errors import Invalid
from app.plain_text import one_line_problem

MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1900, 2999
# Python's date.fromisoformat also takes 20261120 and 2026-W47-5: the shape is checked first.
DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
WHOLE = re.compile(r"[+-]?\d{1,19}", re.ASCII)  # ASCII digits only: no "٣", no "1_000"
TRUE = frozenset({"1", "true", "on", "yes"})
FALSE = frozenset({"", "0", "false", "off", "no"})
# What a browser adds to every form post; never an "unknown field".
FORM_EXTRAS = frozenset({"csrf_token", "submit"})

MAX_JSON_DEPTH = 32  # our deepest body is an object holding a list
MAX_JSON_NUMBER = 10**30  # ids, counts and amounts are far below; bigger is never meant
_SURROGATE = re.compile("[\ud800-\udfff]")


# --- text -----------------------------------------------------------------------------------


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text (PostgreSQL and UTF-8 refuse both), or None."""
    if "\x00" in value:
        return "This contains a character that is not allowed (NUL)."
    if _SURROGATE.search(value):
        return "This contains a character that is not allowed (a lone UTF-16 surrogate)."
    return None


def parse_text(
    value: Any, limit: int, label: str, *, required: bool = False, one_line: bool = False
) -> str:
    """Trimmed text of at most `limit` characters; `label` is the field as the form names it.

    `one_line` refuses line breaks and control characters (names, titles, descriptions: text
    that lands in mail subjects and plain-text bodies)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"Give the {label} as text.")
    value = value.strip()
    if required and not value:
        raise ValueError(f"Enter the {label}.")
    if len(value) > limit:
        raise ValueError(f"Keep the {label} to {limit} characters or fewer.")
    if text_problem(value):
        raise ValueError(f"The {label} contains a character that is not allowed.")
    if one_line and (problem := one_line_problem(value, label)):
        raise ValueError(problem)
    return value


# --- ids, whole numbers, flags --------------------------------------------------------------


def parse_int(value: Any, low: int, high: int, message: str) -> int:
    """A whole number from `low` to `high`, from an int or ASCII digits; `message` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(message)
    if isinstance(value, str):
        text = value.strip()
        if not WHOLE.fullmatch(text):
            raise ValueError(message)
        value = int(text)
    if not low <= value <= high:
        raise ValueError(message)
    return value


def parse_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("Give the id as a whole number.")
    if isinstance(value, str) and not WHOLE.fullmatch(value.strip()):
        raise ValueError("Give the id as a whole number.")
    number = int(value.strip()) if isinstance(value, str) else value
    if not 0 < number <= MAX_ID:
        raise ValueError("No such id.")
    return number


def parse_ids(raw: Any, most: int, noun: str, *, empty: str = "") -> list[int]:
    """A selection of 1 to `most` ids (one id alone, or a list), sorted, each once; `noun` is
    what they are ("transaction"), for the messages; `empty` replaces the message for none."""
    if isinstance(raw, str | int):
        raw = [raw]
    if not isinstance(raw, Sequence) or not raw:
        raise ValueError(empty or f"Select at least one {noun}.")
    if len(raw) > most:
        raise ValueError(f"Select at most {most} {noun}s at a time.")
    try:
        return sorted({parse_id(v) for v in raw})
    except ValueError:
        raise ValueError(f"{noun.capitalize()} ids are whole numbers.") from None


def parse_flag(value: Any) -> bool:
    """true/false from JSON, or what a form checkbox or select sends ("on", "1", "yes", "")."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and (word := value.strip().lower()) in TRUE | FALSE:
        return word in TRUE
    raise ValueError("Give true or false.")


# --- dates ----------------------------------------------------------------------------------


def parse_date(value: Any) -> date:
    """A calendar date written YYYY-MM-DD (what the API and the forms' date inputs send)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError("Enter a date as YYYY-MM-DD.")
    text = value.strip()
    if not DATE_SHAPE.fullmatch(text):
        raise ValueError(f"{text[:40]!r} is not a date; use YYYY-MM-DD.")
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date on the calendar; use YYYY-MM-DD.") from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"Enter a date between {MIN_YEAR} and {MAX_YEAR}.")
    return parsed


def parse_optional_date(value: Any) -> date | None:
    return None if value in (None, "") else parse_date(value)


# --- unknown fields -------------------------------------------------------------------------


def unknown_fields(
    raw: Mapping[str, Any], known: Iterable[str], *, ignore: Iterable[str] = FORM_EXTRAS
) -> dict[str, str]:
    """A field error for every name `raw` carries that is not `known` (nor a form extra)."""
    allowed = set(known) | set(ignore)
    return {
        str(name)[:60]: "Unknown field." for name in sorted(map(str, raw)) if name not in allowed
    }


# --- JSON bodies ----------------------------------------------------------------------------


def body_fields(
    raw: Any, noun: str, known: Iterable[str], current: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """A body's fields over `current` (a partial update keeps the rest), with an error for each
    field not `known`. A body that is no object is refused whole (Invalid on "body", naming
    the `noun`'s fields): there is no field to file it under."""
    if not isinstance(raw, dict):
        raise Invalid({"body": f"Send a JSON object with the {noun}'s fields."})
    return {**(current or {}), **raw}, unknown_fields(raw, known)


class BadJson(ValueError):
    """A JSON body refused before any view sees it; `field` names where the problem is."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _refuse_constant(name: str) -> Any:
    raise BadJson("body", f"{name} is not a JSON number; send numbers as strings.")


def load_json(text: str | bytes) -> Any:
    """Parse a JSON document, refusing what no route can use: nesting deeper than
    MAX_JSON_DEPTH, NaN/Infinity, numbers beyond ±MAX_JSON_NUMBER or rounding to an infinity,
    and text with NUL or lone surrogates. Raises BadJson (a ValueError)."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except BadJson:
        raise
    except RecursionError:
        raise BadJson("body", f"Nest JSON at most {MAX_JSON_DEPTH} levels deep.") from None
    except (ValueError, TypeError):  # also ints of more than 4,300 digits
        raise BadJson("body", "The body is not valid JSON.") from None
    check_json(data)
    return data


def check_json(data: Any) -> None:
    """Walk a parsed body without recursion (a deep one must not exhaust the stack)."""
    stack: list[tuple[Any, str, int]] = [(data, "body", 1)]
    while stack:
        value, name, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadJson("body", f"Nest JSON at most {MAX_JSON_DEPTH} levels deep.")
        if isinstance(value, str):
            if problem := text_problem(value):
                raise BadJson(_field_name(name), problem)
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if abs(value) > MAX_JSON_NUMBER:
                raise BadJson(_field_name(name), "This number is out of range.")
        elif isinstance(value, float):
            if not abs(value) <= MAX_JSON_NUMBER:  # NaN compares false, so it is caught too
                raise BadJson(_field_name(name), "This number is out of range.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if problem := text_problem(key):
                    raise BadJson("body", problem)
                stack.append((item, key if depth == 1 else name, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, name, depth + 1) for item in value)


def _field_name(name: str) -> str:
    return name[:60] or "body"
