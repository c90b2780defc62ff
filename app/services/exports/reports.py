"""The reports: profit and loss, budget against actual, spending by member; for a period.

Each is built from SQL aggregates (`app/queries/reports.py`, `app/queries/budgets.py`) as one
`Report` table (`report_model`), shown on a page and written as PDF, XLSX or JSON. Only what
counts (`app/queries/counted.py`) is summed; what was left out is counted in a footnote. A
member's report covers their own items (`Seat.owner_filter`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from app import clock, money
from app.errors import NotFound
from app.queries import budgets as budget_figures
from app.queries import fiscal
from app.queries import reports as figures
from app.seat import Seat
from app.services.exports import pdf_doc, report_periods
from app.services.exports.report_model import COUNT, MONEY, PERCENT, TEXT, Report, Row
from app.services.exports.report_periods import Period

REPORTS = {
    "profit-and-loss": "Profit and loss",
    "budget-vs-actual": "Budget against actual",
    "spending-by-member": "Spending by member",
}
ZERO = Decimal(0)


def period_of(seat: Seat, args: Mapping[str, Any]) -> Period:
    today = clock.today(seat.time_zone)
    return report_periods.parse(args, today, fiscal.fiscal_start_of(seat.org_id))


def build(seat: Seat, name: str, period: Period, org_name: str) -> Report:
    if name not in REPORTS:
        raise NotFound("No such report.")
    builder = {"profit-and-loss": _profit_and_loss, "budget-vs-actual": _budgets}
    builder["spending-by-member"] = _by_member
    report = Report(
        name, REPORTS[name], org_name, seat.base_currency, period, clock.today(seat.time_zone),
        "", [],
    )  # fmt: skip
    builder[name](seat, report)
    return report


def file_name(seat: Seat, report: Report, fmt: str) -> str:
    span = f"{report.period.start.isoformat()}-{report.period.last.isoformat()}"
    return f"outlay-{seat.org_slug}-{report.name}-{span}.{fmt}"


def _month(day: date) -> str:
    return day.strftime("%b %Y")


def _left_note(seat: Seat, period: Period, kind: str | None = None) -> str:
    left = figures.not_counted(seat.org_id, period.start, period.end, seat.owner_filter, kind)
    if not left.count:
        return "Every transaction of the period is counted (none is pending or rejected)."
    shown = money.display(left.amount, seat.base_currency)
    return (
        f"Not counted: {left.count} pending or rejected transaction"
        f"{'' if left.count == 1 else 's'} ({shown})."
    )


def _profit_and_loss(seat: Seat, report: Report) -> None:
    period, previous = report.period, report.period.previous()
    months = period.months()
    report.label_header = "Category"
    report.columns = [(_month(m), MONEY) for m in months]
    report.columns += [("Total", MONEY), (f"Previous ({previous.label})", MONEY)]
    rows = figures.by_category_month(seat.org_id, previous.start, period.end, seat.owner_filter)
    totals: dict[str, list[Decimal]] = {}
    for kind, heading in (("income", "Income"), ("expense", "Expenses")):
        report.rows.append(Row(heading, [""] * len(report.columns), bold=True))
        lines: dict[int, dict[str, Any]] = {}
        for r in (r for r in rows if r.kind == kind):
            line = lines.setdefault(
                r.category_id,
                {"name": r.category, "group": r.parent_id or r.category_id,
                 "group_name": r.parent or r.category, "months": defaultdict(Decimal),
                 "previous": ZERO},
            )  # fmt: skip
            if r.month >= period.start:
                line["months"][r.month] += r.total
            else:
                line["previous"] += r.total
        groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for line in lines.values():
            groups[line["group"]].append(line)
        kind_total = [ZERO] * (len(months) + 2)
        for _, members in sorted(groups.items(), key=lambda g: g[1][0]["group_name"].lower()):
            values = [
                [line["months"][m] for m in months]
                + [sum(line["months"].values(), ZERO), line["previous"]]
                for line in members
            ]
            summed = [sum(col, ZERO) for col in zip(*values, strict=True)]
            kind_total = [a + b for a, b in zip(kind_total, summed, strict=True)]
            name = members[0]["group_name"]
            if len(members) == 1 and members[0]["name"] == name:
                report.rows.append(Row(name, summed))
                continue
            report.rows.append(Row(name, summed))
            for line, value in sorted(
                zip(members, values, strict=True), key=lambda x: x[0]["name"]
            ):
                own = line["name"] == name
                report.rows.append(Row(f"{name} (other)" if own else line["name"], value, 1))
        report.rows.append(Row(f"Total {heading.lower()}", kind_total, bold=True))
        totals[kind] = kind_total
    net = [a - b for a, b in zip(totals["income"], totals["expense"], strict=True)]
    report.rows.append(Row("Net", net, bold=True))
    report.chart = pdf_doc.ChartBlock(
        [_month(m) for m in months],
        {"Income": totals["income"][: len(months)], "Expenses": totals["expense"][: len(months)]},
        heading="Income and expenses by month",
    )
    report.footnotes.append(_left_note(seat, period))


def _budgets(seat: Seat, report: Report) -> None:
    period = report.period
    report.label_header = "Budget"
    report.columns = [
        ("Period", TEXT), ("Budget", MONEY), ("Carried over", MONEY), ("Available", MONEY),
        ("Spent", MONEY), ("Remaining", MONEY), ("Used", PERCENT),
    ]  # fmt: skip
    names = figures.budget_names(seat.org_id)
    found = budget_figures.actuals(
        seat.org_id, period.last, periods=len(period.months()), own_user=seat.owner_filter
    )
    by_budget: dict[int, list[Any]] = defaultdict(list)
    for actual in found:
        if actual.period_start < period.end and actual.period_end > period.start:
            by_budget[actual.budget_id].append(actual)
    grand = [ZERO] * 5
    for budget_id, name in names.items():
        periods = sorted(by_budget.get(budget_id, []), key=lambda a: a.period_start)
        if not periods:
            continue
        sums = [ZERO] * 5
        lines = []
        for a in periods:
            figures_of = [a.amount, a.carried, a.available, a.spent, a.remaining]
            sums = [x + y for x, y in zip(sums, figures_of, strict=True)]
            monthly = (a.period_end - a.period_start).days < 32
            label = (
                _month(a.period_start)
                if monthly
                else fiscal.year_label(a.period_start, period.fiscal_start)
            )
            lines.append([label, *figures_of, a.percent])
        grand = [x + y for x, y in zip(grand, sums, strict=True)]
        used = (sums[3] * 100 / sums[2]).quantize(Decimal("0.1")) if sums[2] else ""
        if len(lines) == 1:
            report.rows.append(Row(name, lines[0]))
            continue
        report.rows.append(Row(name, [f"{len(lines)} periods", *sums, used], bold=False))
        for line in lines:
            report.rows.append(Row(line[0], ["", *line[1:]], depth=1))
    used = (grand[3] * 100 / grand[2]).quantize(Decimal("0.1")) if grand[2] else ""
    report.rows.append(Row("All budgets", ["", *grand, used], bold=True))
    chart_rows = [r for r in report.rows if r.depth == 0 and not r.bold]
    report.chart = pdf_doc.ChartBlock(
        [r.label[:18] for r in chart_rows],
        {
            "Available": [r.values[3] for r in chart_rows],
            "Spent": [r.values[4] for r in chart_rows],
        },
        heading="Available and spent per budget",
    )
    report.footnotes.append(_left_note(seat, period, "expense"))


def _by_member(seat: Seat, report: Report) -> None:
    period = report.period
    months = period.months()
    report.label_header = "Recorded by"
    report.columns = [(_month(m), MONEY) for m in months] + [("Count", COUNT), ("Total", MONEY)]
    rows = figures.spending_by_member(seat.org_id, period.start, period.end, seat.owner_filter)
    people: dict[Any, dict[str, Any]] = {}
    for r in rows:
        person = people.setdefault(
            r.user_id, {"name": r.person, "months": defaultdict(Decimal), "count": 0}
        )
        person["months"][r.month] += r.total
        person["count"] += r.count
    total = [ZERO] * len(months) + [0, ZERO]
    for person in sorted(people.values(), key=lambda p: p["name"].lower()):
        values = [person["months"][m] for m in months]
        values += [person["count"], sum(person["months"].values(), ZERO)]
        total = [a + b for a, b in zip(total, values, strict=True)]
        report.rows.append(Row(person["name"], values))
    report.rows.append(Row("Total", total, bold=True))
    report.chart = pdf_doc.ChartBlock(
        [_month(m) for m in months],
        {p["name"][:24]: [p["months"][m] for m in months] for p in people.values()},
        heading="Spending by month",
    )
    report.footnotes.append(_left_note(seat, period, "expense"))
