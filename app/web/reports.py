"""Report pages: profit and loss, budget against actual, spending by member; as PDF and XLSX."""

from __future__ import annotations

import calendar
from typing import Any

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for

from app.errors import Forbidden, Invalid
from app.services.exports import export_jobs, report_model, report_periods
from app.services.exports import reports as service
from app.web.exports import served_file
from app.web.forms import flash_invalid
from tenants.permissions import Perm, requires

bp = Blueprint("reports", __name__)
LABELS = {
    "period": "Period",
    "on": "A day in the period",
    "from": "From",
    "to": "To",
    "format": "File format",
}
WRITERS = {"pdf": report_model.write_pdf, "xlsx": report_model.write_xlsx}


@bp.get("/o/<slug>/reports")
@requires(Perm.READ)
def index() -> str:
    return render_template("reports/index.html", reports=service.REPORTS)


def endpoint(report: str) -> str:
    return report.replace("-", "_")


def _page(report: str) -> Any:
    def view() -> Response | str:
        return show(report)

    view.__name__ = endpoint(report)
    return requires(Perm.READ)(view)


# One route per report (not a <report> argument: the route walks read every URL argument as
# an object id of the org).
for _report in service.REPORTS:
    bp.add_url_rule(f"/o/<slug>/reports/{_report}", view_func=_page(_report), methods=["GET"])


def show(report: str) -> Response | str:
    seat = g.seat
    fmt = request.args.get("format", "html")
    try:
        if fmt not in ("html", *WRITERS):
            raise Invalid({"format": "Choose html, pdf or xlsx."})
        period = service.period_of(seat, request.args)
    except Invalid as error:
        flash_invalid(error, LABELS)
        return redirect(url_for(f".{endpoint(report)}", slug=g.org.slug))  # type: ignore[return-value]
    built = service.build(seat, report, period, g.org.name)
    if fmt == "html":
        return render_template(
            "reports/show.html",
            report=built,
            kinds=report_periods.KINDS,
            query=period.query(),
            previous=period.previous().query(),
        )
    if not seat.can(Perm.EXPORT):
        raise Forbidden("Your role in this organisation does not allow exports.")
    return served_file(
        lambda out: WRITERS[fmt](built, out),
        export_jobs.MIMETYPES[fmt],
        service.file_name(seat, built, fmt),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(lambda month: calendar.month_name[int(month or 1)], "month_name")
