"""The transactions list's state from its URL: filters, page, and the parameters that could not
be used, each named and explained while the rest still apply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from app import clock
from app.errors import Invalid
from app.queries import filters as filter_rules
from app.queries import transactions as listing
from app.seat import Seat

# As the filter panel labels them (and, for the rest, as a user would call them).
FILTER_LABELS = {
    "q": "Search",
    "preset": "Period",
    "from": "From",
    "to": "To",
    "kind": "Kind",
    "category": "Category",
    "min": "Min amount",
    "max": "Max amount",
    "method": "Payment method",
    "tag": "Tag",
    "created_by": "Recorded by",
    "sort": "Sort",
    "cursor": "Page link",
    "limit": "Rows per page",
}
BULK_LABELS = {
    "ids": "Selected transactions",
    "category_id": "Move selected to category",
    "action": "Action",
}
VIEW_LABELS = {"name": "Save this filter as", "replace": "Replace the view of that name"}


@dataclass
class ListState:
    filters: filter_rules.Filters
    page: listing.Page
    errors: dict[str, str] = field(default_factory=dict)


def _filters(
    args: Mapping[str, str], today: date, errors: dict[str, str], fiscal_start: int = 1
) -> filter_rules.Filters:
    try:
        return filter_rules.parse(args, today, fiscal_start)
    except Invalid as error:
        errors.update(error.errors)
    # The parameters that are fine still apply; the bad ones are reported, not guessed at.
    usable = {k: v for k, v in args.items() if k not in errors}
    try:
        return filter_rules.parse(usable, today, fiscal_start)
    except Invalid:
        return filter_rules.Filters()


def listing_state(args: Mapping[str, str], seat: Seat, fiscal_start: int = 1) -> ListState:
    """What the list shows for this seat: a member's narrowed to their own (`owner_filter`);
    `fiscal_start` is the month the org's financial year starts in (the year presets). The rows
    are the table's columns: the page names their categories and methods from its lookups
    (`app.queries.list_lookups`), which it reads anyway, instead of a join per row."""
    org_id, own_user = seat.org_id, seat.owner_filter
    errors: dict[str, str] = {}
    filters = _filters(args, clock.org_today(seat), errors, fiscal_start)
    try:
        limit = listing.parse_limit(args.get("limit"))
    except Invalid as error:
        errors.update(error.errors)
        limit = 50
    try:
        page = listing.page(
            org_id,
            filters,
            own_user=own_user,
            cursor=args.get("cursor") or None,
            limit=limit,
            detailed=False,
        )
    except Invalid as error:  # a page link that is not ours: show the first page
        errors.update(error.errors)
        page = listing.page(
            org_id, filters, own_user=own_user, cursor=None, limit=limit, detailed=False
        )
    return ListState(filters, page, errors)
