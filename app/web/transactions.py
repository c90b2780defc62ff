"""Transaction pages: the filtered list, add, edit, delete, bulk actions, saved views."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app import clock
from app.errors import Invalid
from app.models import SavedView, Transaction
from app.queries import filters as filter_rules
from app.queries.list_lookups import list_lookups
from app.services.fx import rates
from app.services.ledger import categories as category_service
from app.services.ledger import saved_views
from app.services.ledger import transactions as txn_service
from app.web import receipts
from app.web import transaction_entry as entry
from app.web.actions import Button, add_buttons, done, index_url
from app.web.forms import Form, flash_invalid
from app.web.transaction_list import BULK_LABELS, FILTER_LABELS, VIEW_LABELS, listing_state
from tenants.permissions import Perm, requires

bp = Blueprint("transactions", __name__)
TRANSACTION = "/o/<slug>/transactions/<int:transaction_id>"


def _choices() -> dict[str, object]:
    return {
        "category_tree": category_service.tree(g.seat),
        "methods": category_service.payment_methods(g.seat),
        "currencies": rates.currencies(clock.org_today(g.seat)),
    }


@bp.get("/o/<slug>/transactions")
@requires(Perm.READ)
def index() -> tuple[str, int]:
    return _list_page(request.args, view_form=Form(VIEW_LABELS))


def _list_page(args: Mapping[str, str], view_form: Form) -> tuple[str, int]:
    state = listing_state(args, g.seat, g.org.fiscal_year_start)
    lookups = list_lookups(g.seat)  # pickers, views, members, rows' names: one statement
    return render_template(
        "transactions/list.html",
        filters=state.filters,
        page=state.page,
        errors=state.errors,
        filter_form=Form(FILTER_LABELS, dict(args.items()), state.errors),
        view_form=view_form,
        presets=filter_rules.PRESETS,
        sorts=filter_rules.SORTS,
        views=lookups.views,
        people=lookups.people,
        category_tree=lookups.category_tree,
        methods=lookups.methods,
        categories_by_id=lookups.categories_by_id,
        method_names=lookups.method_names,
        can_write=g.seat.can(Perm.WRITE_TRANSACTIONS),
        can_export=g.seat.can(Perm.EXPORT),
        can_restore=g.seat.can(Perm.MANAGE_LEDGER),
        first_page=not args.get("cursor") or "cursor" in state.errors,
    ), 422 if state.errors or view_form.errors else 200


@bp.route("/o/<slug>/transactions/new", methods=["GET", "POST"])
@requires(Perm.WRITE_TRANSACTIONS)
def create() -> tuple[str, int] | Response:
    form = Form(
        entry.LABELS,
        entry.first_values(request.args, clock.org_today(g.seat), g.seat.base_currency),
    )
    if request.method == "POST":
        form = Form.posted(entry.LABELS, flags=entry.FLAGS)
        draft = request.form.get("submit") == "draft"
        # With a receipt: held as a draft until the receipt is attached, then submitted
        # unless a draft was asked for; its page then shows what the receipt reads.
        upload = receipts.has_upload()
        locale = current_user.locale
        if form.submit(txn_service.create, g.seat, form.values, locale, draft=draft or upload):
            txn = form.result
            if upload and receipts.attach_from_form(txn.id):
                if not draft and txn.approval_state == "draft":
                    receipts.submit_after_receipt(txn)
                flash(entry.saved_message(txn), "success")
                return redirect(url_for(".show", slug=g.seat.org_slug, transaction_id=txn.id))
            flash(entry.saved_message(txn), "success")
            if request.form.get("submit") == "again":
                return redirect(
                    url_for(".create", slug=g.seat.org_slug, **entry.carried(form.result))
                )
            return redirect(index_url())
    return _form_page(form, None)


def _form_page(form: Form, txn: Transaction | None) -> tuple[str, int]:
    found = receipts.service.of_transaction(g.seat, txn.id) if txn else []
    offered = receipts.suggestions(txn, found) if txn else {}
    return render_template(
        "transactions/form.html", form=form, txn=txn, suggestions=offered, **_choices()
    ), form.status


@bp.route(TRANSACTION, methods=["GET", "POST"])
@requires(Perm.WRITE_TRANSACTIONS)
def edit(transaction_id: int) -> tuple[str, int] | Response:
    txn = txn_service.get(g.seat, transaction_id)
    form = Form(entry.LABELS, entry.stored_values(txn, g.seat.base_currency))
    if request.method == "POST":
        form = Form.posted(entry.LABELS, flags=entry.FLAGS)
        values = entry.without_shown_rate(form.values, txn, g.seat.base_currency)
        # The receipt first, so an edit that needed it (a returned expense) is resubmitted.
        attached = receipts.has_upload() and receipts.attach_from_form(txn.id)
        if form.submit(txn_service.update, g.seat, txn.id, values, current_user.locale):
            to = url_for(".show", slug=g.seat.org_slug, transaction_id=txn.id) if attached else None
            return done("Transaction updated.", to)
    return _form_page(form, txn)


@bp.get(f"{TRANSACTION}/view")
@requires(Perm.READ)
def show(transaction_id: int) -> str:
    """Every field of one transaction, read-only: what viewers (and members, for their own)
    open from the list."""
    txn = txn_service.get(g.seat, transaction_id)
    return render_template(
        "transactions/show.html",
        txn=txn,
        details=entry.details(g.seat, txn),
        can_write=g.seat.can(Perm.WRITE_TRANSACTIONS),
    )


TRANSACTION_BUTTONS = {
    "delete": Button(
        txn_service.delete, "Transaction deleted: it is in the trash, restorable for a while."
    )
}
add_buttons(bp, TRANSACTION, Perm.WRITE_TRANSACTIONS, TRANSACTION_BUTTONS)


def _list_url(query: str | None) -> str:
    """The list with the filters a form carried back, rebuilt from what they mean: posted text
    never reaches the Location header as it came."""
    url = index_url()
    try:
        filters = filter_rules.parse(dict(parse_qsl(query or "")), clock.org_today(g.seat))
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
            count = txn_service.bulk_delete(g.seat, ids)
            flash(
                f"Deleted {count} transaction{'s' if count != 1 else ''} (to the trash).", "success"
            )
        elif request.form.get("action") == "recategorise":
            count = txn_service.bulk_recategorise(g.seat, ids, request.form.get("category_id"))
            flash(f"Moved {count} transaction{'s' if count != 1 else ''}.", "success")
        else:
            raise Invalid({"action": "Choose “Delete selected” or “Move”."})
    except Invalid as error:
        flash_invalid(error, BULK_LABELS)
    return redirect(target)


@bp.post("/o/<slug>/views")
@requires(Perm.READ)
def save_view() -> Response | tuple[str, int]:
    form = Form.posted(VIEW_LABELS)
    query = request.form.get("query", "")
    name, replace = form.value("name"), form.checked("replace")
    if not form.submit(saved_views.save, g.seat, name, query, replace=replace):
        return _list_page(dict(parse_qsl(query)), view_form=form)
    flash(f"Saved the view “{form.result.name}”.", "success")
    return _open(form.result)


@bp.get("/o/<slug>/views/<int:view_id>")
@requires(Perm.READ)
def open_view(view_id: int) -> Response:
    return _open(saved_views.get(g.seat, view_id))


def _open(view: SavedView) -> Response:
    return redirect(index_url() + ("?" + view.query if view.query else ""))


VIEW_BUTTONS = {"delete_view": Button(saved_views.delete, "View removed.", path="delete")}
add_buttons(bp, "/o/<slug>/views/<int:view_id>", Perm.READ, VIEW_BUTTONS)


def can_write_transactions() -> bool:
    """Whether the `n` shortcut (new transaction) is offered on this page."""
    seat = g.get("seat")
    return seat is not None and seat.can(Perm.WRITE_TRANSACTIONS)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(can_write_transactions)
