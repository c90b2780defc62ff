"""One rule for every request, before any view: text PostgreSQL cannot store and JSON no route
can use are a clear 422 naming the field, never a 500 from deep in a service.

- Query and form values (names too) may not contain NUL or lone surrogates.
- A JSON body is parsed once, here, by `app.input.load_json` (depth, numbers, text checked),
  and must be an object, as every JSON route takes;
  the app's JSON provider uses the same function, so `request.get_json()` anywhere (our views,
  Flask-Security's) goes through the same guarded path.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from app.errors import Invalid
from app.input import BadJson, load_json, text_problem


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with every *incoming* document parsed by `load_json`."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return load_json(s)


def _form_problems() -> dict[str, str]:
    found: dict[str, str] = {}
    for source in (request.args, request.form):
        for key, values in source.lists():
            for value in [key, *values]:
                # a malformed multipart part can leave a name or value unset
                if isinstance(value, str) and (problem := text_problem(value)):
                    name = key if isinstance(key, str) and not text_problem(key) else "body"
                    found.setdefault(name[:60] or "body", problem)
    return found


def init_app(app: Flask) -> None:
    # Flask-Security (initialised after this) subclasses app.json_provider_class: keep ours
    # underneath, so its request loader's get_json() is guarded too.
    app.json_provider_class = GuardedJSONProvider
    app.json = GuardedJSONProvider(app)

    @app.before_request
    def refuse_bad_input() -> None:
        found = _form_problems()
        if request.is_json and request.content_length != 0:
            raw = request.get_data(cache=True)
            if raw.strip():
                try:
                    body = load_json(raw)
                except BadJson as error:
                    found.setdefault(error.field, str(error))
                else:
                    # Every JSON route takes an object (Flask-Security's views fail on others).
                    if not isinstance(body, dict):
                        found.setdefault("body", "Send a JSON object.")
        if found:
            raise Invalid(found)
