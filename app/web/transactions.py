"""Transaction pages: the filtered list, add, edit, delete, bulk actions, saved views."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app import clock
from app.errors import Invalid
from app.queries import filters as filter_rules
from app.queries import transactions as listing
from app.services import categories as category_service
from app.services import rates, saved_views
from app.services import transactions as txn_service
from app.services.members import members
from tenants.permissions import Perm, can, requires

bp = Blueprint("transactions", __name__)


def _own() -> int | None:
    return current_user.id if txn_service.own_only(g.membership.role) else None


def _choices() -> dict[str, object]:
    return {
        "category_tree": category_service.tree(g.org.id),
        "methods": category_service.payment_methods(g.org.id),
        "currencies": rates.currencies(clock.org_today(g.org)),
    }


@bp.get("/o/<slug>/transactions")
@requires(Perm.READ)
def index() -> tuple[str, int]:
    errors: dict[str, str] = {}
    try:
        filters = filter_rules.parse(request.args, clock.org_today(g.org))
        limit = listing.parse_limit(request.args.get("limit"))
        page = listing.page(
            g.org.id, filters, own_user=_own(), cursor=request.args.get("cursor"), limit=limit
        )
    except Invalid as error:
        errors = error.errors
        filters, page = filter_rules.Filters(), listing.Page([], None, 50)
    return render_template(
        "transactions/list.html",
        filters=filters,
        page=page,
        errors=errors,
        presets=filter_rules.PRESETS,
        sorts=filter_rules.SORTS,
        views=saved_views.views(g.org.id, current_user.id),
        people={m.user_id: m.user.display_name for m in members(g.org.id)},
        can_write=can(g.membership.role, Perm.WRITE_TRANSACTIONS),
        first_page=not request.args.get("cursor"),
        **_choices(),
    ), 422 if errors else 200


def _form_values() -> dict[str, object]:
    data: dict[str, object] = {k: v for k, v in request.form.items() if k != "csrf_token"}
    return data


@bp.route("/o/<slug>/transactions/new", methods=["GET", "POST"])
@requires(Perm.WRITE_TRANSACTIONS)
def create() -> str | tuple[str, int] | Response:
    values: dict[str, object] = {
        "kind": request.args.get("kind", "expense"),
        "date": clock.org_today(g.org).isoformat(),
        "currency": g.org.base_currency,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            txn_service.create(
                g.org, current_user.id, g.membership.role, values, current_user.locale
            )
        except Invalid as error:
            errors = error.errors
        else:
            flash("Transaction saved.", "success")
            if request.form.get("submit") == "again":
                return redirect(url_for(".create", slug=g.org.slug, kind=values.get("kind")))
            return redirect(url_for(".index", slug=g.org.slug))
    return render_template(
        "transactions/form.html", values=values, errors=errors, txn=None, **_choices()
    ), 422 if errors else 200


@bp.route("/o/<slug>/transactions/<int:transaction_id>", methods=["GET", "POST"])
@requires(Perm.WRITE_TRANSACTIONS)
def edit(transaction_id: int) -> str | tuple[str, int] | Response:
    txn = txn_service.get(g.org.id, transaction_id, current_user.id, g.membership.role)
    values: dict[str, object] = {
        "kind": txn.kind,
        "date": txn.date.isoformat(),
        "amount": f"{txn.amount.normalize():f}",
        "currency": txn.currency,
        "category_id": txn.category_id,
        "payment_method_id": txn.payment_method_id or "",
        "description": txn.description,
        "notes": txn.notes,
        "tags": ", ".join(txn.tags),
        "rate": f"{txn.rate.normalize():f}" if txn.rate_source == "override" else "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            txn_service.update(
                g.org, current_user.id, g.membership.role, txn.id, values, current_user.locale
            )
        except Invalid as error:
            errors = error.errors
        else:
            flash("Transaction updated.", "success")
            return redirect(url_for(".index", slug=g.org.slug))
    return render_template(
        "transactions/form.html", values=values, errors=errors, txn=txn, **_choices()
    ), 422 if errors else 200


@bp.post("/o/<slug>/transactions/<int:transaction_id>/delete")
@requires(Perm.WRITE_TRANSACTIONS)
def delete(transaction_id: int) -> Response:
    txn_service.delete(g.org, current_user.id, g.membership.role, transaction_id)
    flash("Transaction deleted.", "success")
    return redirect(url_for(".index", slug=g.org.slug))


def _list_url(query: str | None) -> str:
    """The list with the filters a form carried back, rebuilt from what they mean: posted text
    never reaches the Location header as it came."""
    url = url_for(".index", slug=g.org.slug)
    try:
        filters = filter_rules.parse(dict(parse_qsl(query or "")), clock.org_today(g.org))
    except Invalid:
        return url
    return url + (f"?{filters.query_string()}" if filters.active or filters.sort != "-date" else "")


@bp.post("/o/<slug>/transactions/bulk")
@requires(Perm.WRITE_TRANSACTIONS)
def bulk() -> Response:
    ids = request.form.getlist("ids")
    target = _list_url(request.form.get("back"))
    try:
        if request.form.get("action") == "delete":
            count = txn_service.bulk_delete(g.org, current_user.id, g.membership.role, ids)
            flash(f"Deleted {count} transaction{'s' if count != 1 else ''}.", "success")
        elif request.form.get("action") == "recategorise":
            count = txn_service.bulk_recategorise(
                g.org, current_user.id, g.membership.role, ids, request.form.get("category_id")
            )
            flash(f"Moved {count} transaction{'s' if count != 1 else ''}.", "success")
        else:
            raise Invalid({"action": "Choose delete or change category."})
    except Invalid as error:
        flash(" ".join(error.errors.values()), "danger")
    return redirect(target)


@bp.post("/o/<slug>/views")
@requires(Perm.READ)
def save_view() -> Response:
    try:
        view = saved_views.save(
            g.org.id,
            current_user.id,
            request.form.get("name"),
            request.form.get("query", ""),
            replace=request.form.get("replace") in ("1", "on", "true"),
        )
    except Invalid as error:
        flash(" ".join(error.errors.values()), "danger")
        return redirect(_list_url(request.form.get("query")))
    flash(f"Saved the view “{view.name}”.", "success")
    return redirect(url_for(".index", slug=g.org.slug) + ("?" + view.query if view.query else ""))


@bp.get("/o/<slug>/views/<int:view_id>")
@requires(Perm.READ)
def open_view(view_id: int) -> Response:
    view = saved_views.get(g.org.id, current_user.id, view_id)
    return redirect(url_for(".index", slug=g.org.slug) + ("?" + view.query if view.query else ""))


@bp.post("/o/<slug>/views/<int:view_id>/delete")
@requires(Perm.READ)
def delete_view(view_id: int) -> Response:
    saved_views.delete(g.org.id, current_user.id, view_id)
    flash("View removed.", "success")
    return redirect(url_for(".index", slug=g.org.slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
