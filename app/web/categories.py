"""Categories and payment methods pages (owners and accountants manage; everyone reads)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app.errors import Conflict, Invalid
from app.services import categories as service
from tenants.permissions import Perm, can, requires

bp = Blueprint("categories", __name__)


def _page(errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> str:
    return render_template(
        "categories/list.html",
        tree=service.tree(g.org.id, include_archived=True),
        methods=service.payment_methods(g.org.id),
        can_manage=can(g.membership.role, Perm.MANAGE_LEDGER),
        errors=errors or {},
        values=values or {"color": service.suggest_color(g.org.id)},
    )


@bp.get("/o/<slug>/categories")
@requires(Perm.READ)
def index() -> str:
    return _page()


@bp.post("/o/<slug>/categories")
@requires(Perm.MANAGE_LEDGER)
def create() -> Response | tuple[str, int]:
    values = request.form.to_dict()
    try:
        category = service.create_category(g.org.id, current_user.id, values)
    except Invalid as error:
        return _page(error.errors, values), 422
    flash(f"Added {category.name}.", "success")
    return redirect(url_for(".index", slug=g.org.slug))


@bp.route("/o/<slug>/categories/<int:category_id>", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def edit(category_id: int) -> str | Response | tuple[str, int]:
    category = service.get_category(g.org.id, category_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            service.update_category(g.org.id, current_user.id, category.id, request.form.to_dict())
        except Invalid as error:
            errors = error.errors
        else:
            flash("Category saved.", "success")
            return redirect(url_for(".index", slug=g.org.slug))
    parents = [
        c for c, _ in service.tree(g.org.id) if c.kind == category.kind and c.id != category.id
    ]
    return render_template(
        "categories/edit.html", category=category, parents=parents, errors=errors
    ), 422 if errors else 200


@bp.post("/o/<slug>/categories/<int:category_id>/remove")
@requires(Perm.MANAGE_LEDGER)
def remove(category_id: int) -> Response:
    try:
        outcome = service.remove_category(g.org.id, current_user.id, category_id)
    except Conflict as error:
        flash(error.detail, "danger")
    else:
        if outcome == "archived":
            flash("The category is in use, so it was archived; its transactions keep it.", "info")
        else:
            flash("Category deleted.", "success")
    return redirect(url_for(".index", slug=g.org.slug))


@bp.post("/o/<slug>/categories/<int:category_id>/restore")
@requires(Perm.MANAGE_LEDGER)
def restore(category_id: int) -> Response:
    try:
        service.restore_category(g.org.id, current_user.id, category_id)
        flash("Category restored.", "success")
    except Conflict as error:
        flash(error.detail, "danger")
    return redirect(url_for(".index", slug=g.org.slug))


@bp.post("/o/<slug>/payment-methods")
@requires(Perm.MANAGE_LEDGER)
def create_method() -> Response | tuple[str, int]:
    try:
        method = service.create_payment_method(g.org.id, current_user.id, request.form.get("name"))
    except Invalid as error:
        return _page({f"method_{k}": v for k, v in error.errors.items()}), 422
    flash(f"Added {method.name}.", "success")
    return redirect(url_for(".index", slug=g.org.slug) + "#payment-methods")


@bp.post("/o/<slug>/payment-methods/<int:method_id>/archive")
@requires(Perm.MANAGE_LEDGER)
def archive_method(method_id: int) -> Response:
    service.archive_payment_method(g.org.id, current_user.id, method_id)
    flash("Payment method archived.", "success")
    return redirect(url_for(".index", slug=g.org.slug) + "#payment-methods")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
