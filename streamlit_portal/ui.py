"""What every page shares: the period and filters in the sidebar, the header, money display.

The entry script (`app.py`) builds one `View` per rerun from the verified identity and the
sidebar's widgets and keeps it in `st.session_state`; pages read it with `view()`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import streamlit as st
from dateutil.relativedelta import relativedelta

from app import clock, money
from app import plain_text as plain
from app.queries.filters import preset_range
from app.seat import Seat
from streamlit_portal import data
from tenants.permissions import Perm

VIEW = "outlay_view"
PERIODS = {
    "this-month": "This month",
    "last-month": "Last month",
    "this-quarter": "This quarter",
    "this-year": "This year",
    "last-12-months": "Last 12 months",
    "custom": "Custom",
}
KINDS = {"": "Income and expenses", "income": "Income", "expense": "Expenses"}


@dataclass(frozen=True)
class View:
    seat: Seat  # who is looking, rebuilt from the membership on every rerun
    org_name: str
    version: str
    today: date
    start: date
    end: date  # exclusive
    period_label: str
    kind: str
    category: int | None

    @property
    def org_id(self) -> int:
        return self.seat.org_id

    @property
    def user_id(self) -> int:
        return int(self.seat.user_id or 0)

    @property
    def currency(self) -> str:
        return self.seat.base_currency

    @property
    def own_user(self) -> int | None:
        """The narrowing of every figure: a member's own items (`Seat.owner_filter`)."""
        return self.seat.owner_filter

    @property
    def key(self) -> tuple[Any, ...]:
        """The leading arguments of the cached figures: org, narrowing, period, filters."""
        return (self.org_id, self.own_user, self.start, self.end, self.kind, self.category)

    def previous(self) -> tuple[date, date]:
        """The period of the same length just before: whole months when the period is."""
        if self.start.day == 1 and self.end.day == 1:
            months = relativedelta(self.end, self.start)
            length = months.years * 12 + months.months
            return self.start - relativedelta(months=length), self.start
        return self.start - (self.end - self.start), self.start

    def money(self, amount: Decimal | None) -> str:
        return money.display(amount if amount is not None else Decimal(0), self.currency)


def period_range(key: str, on: date, custom: tuple[date, date] | None = None) -> tuple[date, date]:
    """[start, end) of a period choice."""
    if key == "last-12-months":
        month = on.replace(day=1)
        return month - relativedelta(months=11), month + relativedelta(months=1)
    if key == "custom" and custom is not None:
        first, last = sorted(custom)
        return first, last + timedelta(days=1)
    first, last = preset_range(key if key in PERIODS else "this-month", on)
    return first, last + timedelta(days=1)


def _category_label(row: dict[str, Any]) -> str:
    name = f"{row['parent_name']} / {row['name']}" if row["parent_name"] else row["name"]
    return f"{name} ({'income' if row['kind'] == 'income' else 'expense'})"


def sidebar(seat: Seat, org_name: str, version: str) -> View:
    """Draw the period and filters (kept in session state across pages); the View."""
    on = clock.org_today(seat)  # the org's today, in its zone
    bar = st.sidebar
    bar.markdown(f"### Outlay Analytics\n**{plain.markdown(org_name)}**")
    key = bar.selectbox("Period", list(PERIODS), format_func=PERIODS.__getitem__, key="f_period")
    custom = None
    if key == "custom":
        chosen = bar.date_input(
            "From, to", value=(on.replace(day=1), on), key="f_custom", format="YYYY-MM-DD"
        )
        if isinstance(chosen, tuple) and len(chosen) == 2:
            custom = (chosen[0], chosen[1])
    start, end = period_range(key, on, custom)
    kind = bar.selectbox("Kind", list(KINDS), format_func=KINDS.__getitem__, key="f_kind")
    rows = data.categories(seat.org_id, version, seat.user_id)
    labels = {row["id"]: _category_label(row) for row in rows if not kind or row["kind"] == kind}
    if st.session_state.get("f_category") not in (None, *labels):
        st.session_state["f_category"] = None  # a category of the other kind
    category = bar.selectbox(
        "Category",
        [None, *labels],
        format_func=lambda c: "All categories" if c is None else labels[c],
        key="f_category",
    )
    last = end - timedelta(days=1)
    label = PERIODS[key] if key != "custom" else "Custom period"
    bar.caption(f"{label}: {start.isoformat()} to {last.isoformat()}")
    if seat.own_items_only:
        bar.caption("You see the transactions you recorded.")
    return View(
        seat=seat,
        org_name=org_name,
        version=version,
        today=on,
        start=start,
        end=end,
        period_label=label,
        kind=kind,
        category=category,
    )


def view() -> View:
    found = st.session_state.get(VIEW)
    if not isinstance(found, View):  # a page opened without the entry script: never data
        st.stop()
    return found


def header(title: str, v: View) -> None:
    st.title(title)
    st.caption(f"{plain.markdown(v.org_name)} · {v.period_label} · amounts in {v.currency}")


def empty(message: str) -> None:
    st.info(message)


def may_export(v: View) -> bool:
    return v.seat.can(Perm.EXPORT)


def table(rows: list[dict[str, Any]], v: View, **options: Any) -> None:
    """A table of rows. st.dataframe carries its own CSV download and copy, so roles without
    the export permission get a static table instead (its cells read Markdown: escaped)."""
    if may_export(v):
        st.dataframe(rows, hide_index=True, **options)
        return
    st.table([{k: _cell(x) for k, x in r.items()} for r in rows], hide_index=True)


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(plain.markdown(x) for x in value)
    return plain.markdown(value) if isinstance(value, str) else value


# On a phone the sidebar opens over the page; Streamlit remembers it open (in localStorage)
# and keeps it open after the user picks a page in it, hiding the page they asked for. After
# every run on a narrow screen this closes it again, as the phone's own apps do. It closes it
# whenever it opens in the next seconds (Streamlit re-opens it from the remembered state a
# moment after drawing the page, later on a slow phone), until the person touches the page.
_CLOSE_SIDEBAR = """<script data-run="%s">
(() => {
  const close = () => {
    if (window.innerWidth >= 768) return;
    const bar = document.querySelector("[data-testid='stSidebar'][data-collapsed='false']");
    const button = bar && bar.querySelector("button[aria-label='Collapse sidebar'],"
      + " [data-testid='stSidebarCollapseButton'] button");
    if (button) button.click();
  };
  close();
  const watch = new MutationObserver(close);
  watch.observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-collapsed"],
  });
  const stop = () => watch.disconnect();
  setTimeout(stop, 8000);
  ["pointerdown", "keydown"].forEach((kind) =>
    document.addEventListener(kind, stop, { capture: true, once: true }));
})();
</script>"""


def close_sidebar_on_phones(run_key: str) -> None:
    """Collapse the sidebar after this run when the screen is narrow (see _CLOSE_SIDEBAR)."""
    st.html(_CLOSE_SIDEBAR % html.escape(run_key), unsafe_allow_javascript=True)
