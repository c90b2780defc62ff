"""Categories and payment methods pages (owners and accountants manage; everyone reads)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request
from werkzeug.wrappers import Response

from app.errors import Conflict
from app.services.ledger import categories as service
from app.web.actions import Button, add_buttons, done, index_url
from app.web.forms import Form
from tenants.permissions import Perm, requires

bp = Blueprint("categories", __name__)
CATEGORY = "/o/<slug>/categories/<int:category_id>"
METHODS = "/o/<slug>/payment-methods"
# As categories/_fields.html and the payment-method form label them.
LABELS = {
    "name": "Name",
    "kind": "Kind",
    "color": "Colour",
    "parent_id": "Parent",
    "icon": "Icon name",
}
METHOD_LABELS = {"name": "New payment method"}


def _page(category_form: Form | None = None, method_form: Form | None = None) -> tuple[str, int]:
    category_form = category_form or Form(LABELS, {"color": service.suggest_color(g.seat)})
    method_form = method_form or Form(METHOD_LABELS, prefix="method-")
    return render_template(
        "categories/list.html",
        tree=service.tree(g.seat, include_archived=True),
        methods=service.payment_methods(g.seat),
        can_manage=g.seat.can(Perm.MANAGE_LEDGER),
        form=category_form,
        method_form=method_form,
    ), max(category_form.status, method_form.status)


@bp.get("/o/<slug>/categories")
@requires(Perm.READ)
def index() -> tuple[str, int]:
    return _page()


@bp.post("/o/<slug>/categories")
@requires(Perm.MANAGE_LEDGER)
def create() -> Response | tuple[str, int]:
    form = Form.posted(LABELS)
    if not form.submit(service.create_category, g.seat, form.values):
        return _page(category_form=form)
    return done(f"Added {form.result.name}.")


@bp.route(CATEGORY, methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def edit(category_id: int) -> Response | tuple[str, int]:
    category = service.get_category(g.seat, category_id)
    stored = {k: getattr(category, k) for k in ("name", "kind", "color", "icon", "parent_id")}
    form = Form(LABELS, {k: "" if v is None else v for k, v in stored.items()})
    if request.method == "POST":
        form = Form.posted(LABELS)
        if form.submit(service.update_category, g.seat, category.id, form.values):
            return done("Category saved.")
    parents = [
        c for c, _ in service.tree(g.seat) if c.kind == category.kind and c.id != category.id
    ]
    return render_template(
        "categories/edit.html", category=category, parents=parents, form=form
    ), form.status


@bp.post(f"{CATEGORY}/remove")
@requires(Perm.MANAGE_LEDGER)
def remove(category_id: int) -> Response:
    try:
        outcome = service.remove_category(g.seat, category_id)
    except Conflict as error:
        flash(error.detail, "danger")
    else:
        if outcome == "archived":
            flash("The category is in use, so it was archived; its transactions keep it.", "info")
        else:
            flash("Category deleted.", "success")
    return redirect(index_url())


CATEGORY_BUTTONS = {"restore": Button(service.restore_category, "Category restored.")}
add_buttons(bp, CATEGORY, Perm.MANAGE_LEDGER, CATEGORY_BUTTONS)


def _methods_url() -> str:
    return index_url("#payment-methods")


@bp.post(METHODS)
@requires(Perm.MANAGE_LEDGER)
def create_method() -> Response | tuple[str, int]:
    form = Form.posted(METHOD_LABELS, prefix="method-")
    if not form.submit(service.create_payment_method, g.seat, form.value("name")):
        return _page(method_form=form)
    return done(f"Added {form.result.name}.", _methods_url())


METHOD_BUTTONS = {
    "archive_method": Button(
        service.archive_payment_method, "Payment method archived.", path="archive"
    )
}
add_buttons(bp, f"{METHODS}/<int:method_id>", Perm.MANAGE_LEDGER, METHOD_BUTTONS, back=_methods_url)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
