"""The routes most API resources share, written once: the list, create (201 with Location),
show, update (a PATCH finds the row before it reads the body) and delete (204).

    budgets = Resource(bp, "/budgets", "budget_id", service.get, _one, Perm.MANAGE_LEDGER)
    budgets.create(service.create)
    budgets.update(service.update)

`key` names the id in the item's URL (`/budgets/<int:budget_id>`); `get(seat, id)` is the
service's lookup, a 404 for an id the caller cannot see; `to_json` turns a row into its JSON;
`write` is the permission to change (reading needs READ). Each route is `api_requires(perm)`
over its view, under the endpoint name the route table pins
(tests/integration/test_route_permissions.py); a route of its own shape stays a decorated
function beside them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, g, url_for

from app.api import schemas
from app.api.auth import api_requires
from tenants.permissions import Perm

Json = dict[str, Any]


def created(body: Json, endpoint: str, **ids: int) -> tuple[Json, int, dict[str, str]]:
    """A 201 with the new resource's own URL in Location."""
    return body, 201, {"Location": url_for(endpoint, slug=g.seat.org_slug, **ids)}


class Resource:
    def __init__(
        self,
        bp: Blueprint,
        path: str,
        key: str,
        get: Callable[[Any, int], Any],
        to_json: Callable[[Any], Json],
        write: Perm,
        *,
        show: str = "show",
    ) -> None:
        self.bp, self.path, self.key, self.get = bp, path, key, get
        self.to_json, self.write, self.show_endpoint = to_json, write, show
        self.item = f"{path}/<int:{key}>"

    def _route(self, rule: str, endpoint: str, method: str, perm: Perm, view: Any) -> None:
        view.__name__ = view.__qualname__ = endpoint
        self.bp.add_url_rule(rule, endpoint, api_requires(perm)(view), methods=[method])

    def index(self, rows: Callable[[Any], list[Any]], endpoint: str = "index") -> None:
        def view() -> Json:
            return {"items": [self.to_json(row) for row in rows(g.seat)]}

        self._route(self.path, endpoint, "GET", Perm.READ, view)

    def create(self, make: Callable[[Any, Json], Any], endpoint: str = "create") -> None:
        def view() -> tuple[Json, int, dict[str, str]]:
            row = make(g.seat, schemas.body())
            return created(self.to_json(row), f".{self.show_endpoint}", **{self.key: row.id})

        self._route(self.path, endpoint, "POST", self.write, view)

    def show(self) -> None:
        def view(**ids: int) -> Json:
            return self.to_json(self._get(ids))

        self._route(self.item, self.show_endpoint, "GET", Perm.READ, view)

    def update(self, change: Callable[[Any, int, Json], Any], endpoint: str = "update") -> None:
        def view(**ids: int) -> Json:
            self._get(ids)  # before the body is read: an id the caller cannot see is a 404
            return self.to_json(change(g.seat, ids[self.key], schemas.body()))

        self._route(self.item, endpoint, "PATCH", self.write, view)

    def delete(self, remove: Callable[[Any, int], Any], endpoint: str = "delete") -> None:
        def view(**ids: int) -> tuple[str, int]:
            remove(g.seat, ids[self.key])
            return "", 204

        self._route(self.item, endpoint, "DELETE", self.write, view)

    def _get(self, ids: dict[str, int]) -> Any:
        return self.get(g.seat, ids[self.key])
