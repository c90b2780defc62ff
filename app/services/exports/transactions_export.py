"""Export the filtered transaction list, exactly as the list filters it: CSV, XLSX or PDF.

Small exports are written while the user waits (CSV streamed); one over
OUTLAY_EXPORT_INLINE_MAX_ROWS rows (a PDF: OUTLAY_EXPORT_PDF_MAX_ROWS) runs as a job
(`export_jobs`). A member's export holds only their own items (`Seat.owner_filter`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode

from flask import current_app

from app import clock, money
from app.errors import Invalid
from app.models import Export
from app.queries import export_rows, fiscal
from app.queries import filters as filter_rules
from app.queries.export_rows import Summary
from app.seat import Seat
from app.services.exports import csv_file, export_jobs, pdf_doc, xlsx_file
from app.services.exports.table_format import CsvFormat, csv_format, minor
from tenants.context import tenant_context

FORMATS = ("csv", "xlsx", "pdf")
OPTION_KEYS = ("format", "delimiter", "decimal")


@dataclass(frozen=True)
class ExportAsk:
    fmt: str
    filters: filter_rules.Filters
    csv: CsvFormat

    def query(self) -> str:
        """The ask as a query string, its period pinned to dates (a job run tomorrow exports
        what was asked today)."""
        pinned = replace(self.filters, preset="")
        options = {"format": self.fmt}
        if self.fmt == "csv":
            options |= {"delimiter": self.csv.delimiter, "decimal": self.csv.decimal}
        return urlencode({**pinned.to_query(), **options})


def ask(seat: Seat, args: Mapping[str, Any], locale: str | None = None) -> ExportAsk:
    """Read the format, the CSV separators and the list's filters; every bad one named."""
    errors: dict[str, str] = {}
    fmt = str(args.get("format") or "csv").strip().lower()
    if fmt not in FORMATS:
        errors["format"] = "Choose csv, xlsx or pdf."
    filters = filter_rules.Filters()
    try:
        fiscal_start = fiscal.fiscal_start_of(seat.org_id) if args.get("preset") else 1
        filters = filter_rules.parse(args, clock.today(seat.time_zone), fiscal_start)
    except Invalid as error:
        errors.update(error.errors)
    fmt_csv = CsvFormat()
    try:
        fmt_csv = csv_format(args, locale)
    except Invalid as error:
        errors.update(error.errors)
    if errors:
        raise Invalid(errors)
    return ExportAsk(fmt, filters, fmt_csv)


def summary(seat: Seat, request: ExportAsk) -> Summary:
    return export_rows.summary(seat.org_id, request.filters, seat.owner_filter)


def runs_as_job(request: ExportAsk, size: Summary) -> bool:
    key = "OUTLAY_EXPORT_PDF_MAX_ROWS" if request.fmt == "pdf" else "OUTLAY_EXPORT_INLINE_MAX_ROWS"
    return size.rows > int(current_app.config[key])


def file_name(seat: Seat, request: ExportAsk) -> str:
    f = request.filters
    span = "-".join(d.isoformat() for d in (f.date_from, f.date_to) if d) or "all"
    return f"outlay-{seat.org_slug}-transactions-{span}.{request.fmt}"


def csv_chunks(seat: Seat, request: ExportAsk) -> Iterator[str]:
    """The CSV as text chunks. A streamed response runs this after the view has returned,
    in a fresh app context whose database session knows no tenant: it sets the Seat's org
    itself, so RLS scopes the rows exactly as in the view."""
    with tenant_context(seat.org_id, seat.user_id):
        rows = export_rows.stream(seat.org_id, request.filters, seat.owner_filter)
        yield from csv_file.chunks(rows, seat.base_currency, request.csv)


def write(seat: Seat, request: ExportAsk, out: IO[bytes], org_name: str = "") -> int:
    """Write the whole file to `out` (a job, or an XLSX/PDF served at once); returns rows."""
    if request.fmt == "csv":
        written = -1  # the header
        for chunk in csv_chunks(seat, request):
            out.write(chunk.encode("utf-8"))
            written += chunk.count("\r\n")
        return max(written, 0)
    size = summary(seat, request)
    rows = export_rows.stream(seat.org_id, request.filters, seat.owner_filter)
    if request.fmt == "xlsx":
        categories = export_rows.by_category(seat.org_id, request.filters, seat.owner_filter)
        return xlsx_file.write(out, rows, size, categories, seat.base_currency)
    _pdf(seat, request, size, rows, out, org_name)
    return size.rows


def _period(filters: filter_rules.Filters) -> str:
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else "the first entry"
        return f"{start} to {filters.date_to.isoformat() if filters.date_to else 'today'}"
    return "All dates"


def _pdf(
    seat: Seat, request: ExportAsk, size: Summary, rows: Any, out: IO[bytes], org_name: str
) -> None:
    base = seat.base_currency

    def shown(amount: Any, currency: str) -> str:
        return money.display(minor(amount, currency), currency)

    body = [
        [
            r.date.isoformat(),
            r.kind,
            r.description,
            r.category if not r.parent_category else f"{r.parent_category} \u203a {r.category}",
            shown(r.amount, r.currency),
            shown(r.base_amount, base),
            r.status,
            r.recorded_by or "",
        ]
        for r in rows
    ]
    totals = [
        ["", "", f"Total income ({size.rows} rows)", "", "", shown(size.income, base), "", ""],
        ["", "", "Total expenses", "", "", shown(size.expense, base), "", ""],
        ["", "", "Net", "", "", shown(size.net, base), "", ""],
    ]
    table = pdf_doc.TableBlock(
        ["Date", "Kind", "Description", "Category", "Amount", f"Base ({base})", "Status", "By"],
        body + totals,
        numeric={4, 5},
        bold_rows={len(body), len(body) + 1, len(body) + 2},
    )
    query = request.filters.query_string()
    doc = pdf_doc.Document(
        org_name or seat.org_slug,
        "Transactions",
        _period(request.filters),
        clock.today(seat.time_zone),
        [table],
        [f"Filters: {query}" if query else "No filters: every transaction."],
    )
    pdf_doc.render(doc, out)


def queue(seat: Seat, request: ExportAsk) -> Export:
    return export_jobs.create(
        seat, "transactions", request.fmt, request.query(), file_name(seat, request)
    )


def ask_of(seat: Seat, export: Export) -> ExportAsk:
    """The ask a queued export was made with (its query string, pinned when queued)."""
    return ask(seat, dict(parse_qsl(export.query)))
