"""/api/v1/orgs/<slug>/reports/<report>?period=...&format=json|pdf|xlsx"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from app.api.auth import api_requires
from app.api.exports import seat
from app.errors import Forbidden, Invalid
from app.services.exports import export_jobs, report_model
from app.services.exports import reports as service
from app.web.exports import served_file
from app.web.reports import WRITERS, endpoint
from tenants.permissions import Perm

bp = Blueprint("api_reports", __name__, url_prefix="/api/v1/orgs/<slug>")


def _route(report: str) -> Any:
    def view() -> Any:
        return show(report)

    view.__name__ = endpoint(report)
    return api_requires(Perm.READ)(view)


for _report in service.REPORTS:  # one route per report, as on the web (app/web/reports.py)
    bp.add_url_rule(f"/reports/{_report}", view_func=_route(_report), methods=["GET"])


def show(report: str) -> Any:
    acting = seat()
    fmt = request.args.get("format", "json")
    errors: dict[str, str] = {}
    if fmt not in ("json", *WRITERS):
        errors["format"] = "Choose json, pdf or xlsx."
    try:
        period = service.period_of(acting, request.args)
    except Invalid as error:
        errors.update(error.errors)
    if errors:
        raise Invalid(errors)
    built = service.build(acting, report, period, g.seat.org_name)
    if fmt == "json":
        return report_model.as_json(built)
    if not acting.can(Perm.EXPORT):
        raise Forbidden("Your role in this organisation does not allow exports.")
    name = service.file_name(acting, built, fmt)
    return served_file(lambda out: WRITERS[fmt](built, out), export_jobs.MIMETYPES[fmt], name)
