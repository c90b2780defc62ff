"""Every HTML form, given one bad value, answers 422 with the error named by the field's label
(as the form shows it, never the internal name) and the form again with what was typed; bad
URL parameters on the transactions list say which parameter and why, and the rest still apply."""

from __future__ import annotations

import html
import re

import pytest

from tests.support.factories import PASSWORD
from tests.support.web import login, post_form


def summary(page: str) -> str:
    """The text of the error summary at the top of the form (or the filter error box)."""
    match = re.search(r'data-testid="(?:form|filter)-errors">(.*?)</div>', page, re.S)
    assert match, "no error summary on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


@pytest.fixture
def owner_in(client, make):
    owner = make.user()
    org = make.org(owner, "Forms Ltd")
    login(client, owner.email, PASSWORD)
    return client, owner, org


# (page that carries the form, where it posts, what is posted, the label, the bad value typed)
CASES = [
    (
        "/o/{o}/transactions/new",
        "/o/{o}/transactions/new",
        {"kind": "expense", "amount": "12", "date": "31/12/2026", "category_id": "{expense}"},
        "Date",
        "31/12/2026",
    ),
    (
        "/o/{o}/transactions/{txn}",
        "/o/{o}/transactions/{txn}",
        {"kind": "expense", "amount": "twelve", "date": "2026-11-02", "category_id": "{expense}"},
        "Amount",
        "twelve",
    ),
    (
        "/o/{o}/recurring/new",
        "/o/{o}/recurring/new",
        {
            "kind": "expense",
            "amount": "50",
            "category_id": "{expense}",
            "frequency": "monthly",
            "interval": "every",
            "start_date": "2026-11-01",
            "currency": "EUR",
        },
        "Every (1 = each time)",
        "every",
    ),
    (
        "/o/{o}/recurring",
        "/o/{o}/reminders",
        {
            "title": "Pay the VAT",
            "due_date": "next Tuesday",
            "amount": "",
            "remind_days_before": "3",
        },
        "Due",
        "next Tuesday",
    ),
    (
        "/o/{o}/budgets/new",
        "/o/{o}/budgets/new",
        {"name": "", "category_id": "", "amount": "lots", "period": "monthly", "thresholds": "80"},
        "Amount (EUR)",
        "lots",
    ),
    (
        "/o/{o}/categories",
        "/o/{o}/categories",
        {"name": "Vans", "kind": "expense", "color": "dark red", "icon": "tag"},
        "Colour",
        "dark red",
    ),
    (
        "/o/{o}/categories/{expense}",
        "/o/{o}/categories/{expense}",
        {"name": "Rent", "kind": "expense", "color": "#123456", "icon": "no spaces!"},
        "Icon name",
        "no spaces!",
    ),
    (
        "/o/{o}/categories",
        "/o/{o}/payment-methods",
        {"name": "A card with a name far too long to be a payment method"},
        "New payment method",
        "A card with a name far too long to be a payment method",
    ),
    (
        "/o/{o}/transactions?kind=expense",
        "/o/{o}/views",
        {"name": "v" * 61, "query": "kind=expense"},
        "Save this filter as",
        "v" * 61,
    ),
    (
        "/o/{o}/members",
        "/o/{o}/members/invite",
        {"email": "not-an-address", "role": "member"},
        "Email",
        "not-an-address",
    ),
    (
        "/o/{o}/settings",
        "/o/{o}/settings",
        {"name": "N" * 121, "base_currency": "EUR"},
        "Name",
        "N" * 121,
    ),
    ("/orgs/new", "/orgs/new", {"name": "O" * 121, "base_currency": "EUR"}, "Name", "O" * 121),
    (
        "/profile",
        "/profile",
        {"name": "P" * 121, "default_org": "0", "locale": "en"},
        "Name",
        "P" * 121,
    ),
    ("/profile", "/profile/tokens", {"name": "T" * 61}, "Token name", "T" * 61),
]


@pytest.mark.parametrize(
    ("page", "action", "data", "label", "typed"),
    CASES,
    ids=[f"{c[1].split('/')[-1] or c[1]}-{c[3]}" for c in CASES],
)
def test_a_bad_value_is_named_by_its_label_and_kept(owner_in, make, page, action, data, label,
                                                    typed):  # fmt: skip
    client, owner, org = owner_in
    expense = make.category(org, "expense")
    txn = make.transaction(org, owner, category_id=expense, date="2026-11-02")
    fill = {"o": org.slug, "expense": expense, "txn": txn}
    posted = {k: v.format(**fill) for k, v in data.items()}
    response = post_form(client, action.format(**fill), posted, token_from=page.format(**fill))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    errors = summary(text)
    assert f"{label}: " in errors, errors
    # "Icon name: ..." is the label; a bare "name: ..." would be the internal name.
    internal = [k for k in posted if re.search(rf"(?<![A-Za-z ]){re.escape(k)}:", errors)]
    assert internal == [], f"internal names shown: {internal}"
    assert f'value="{html.escape(typed)}"' in text, "the typed value is not kept"


def test_reminder_errors_keep_every_field_typed(owner_in):
    client, _owner, org = owner_in
    response = post_form(
        client,
        f"/o/{org.slug}/reminders",
        {"title": "Insurance", "due_date": "soon", "amount": "-5", "remind_days_before": "90"},
        token_from=f"/o/{org.slug}/recurring",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    errors = summary(text)
    assert "Due: " in errors and "Amount (EUR): " in errors and "Days before: " in errors
    assert "due_date" not in errors
    for typed in ("Insurance", "soon", "-5", "90"):
        assert f'value="{typed}"' in text, typed
    # The field carries its error for assistive technology too.
    assert re.search(r'id="reminder-due_date"[^>]*aria-describedby="reminder-due_date-error"', text)
    assert 'aria-invalid="true"' in text


@pytest.mark.parametrize(
    ("query", "label", "why"),
    [
        ("sort=newest", "Sort", "Sort by one of"),
        ("method=abc", "Payment method", "whole number"),
        ("cursor=garbage", "Page link", "not valid"),
        ("min=cheap", "Min amount", "not a number"),
        ("limit=9999", "Rows per page", "whole number"),
    ],
)
def test_a_bad_url_parameter_says_which_and_why(owner_in, make, query, label, why):
    client, owner, org = owner_in
    make.transaction(org, owner, description="Printer paper")
    response = client.get(f"/o/{org.slug}/transactions?{query}")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    errors = summary(text)
    name, value = query.split("=")
    assert label in errors and f"{name}={value}" in errors and why in errors, errors
    assert "No transactions match these filters" not in text
    assert "Printer paper" in text  # the list is still there, the bad parameter ignored


def test_the_good_parameters_still_apply_beside_a_bad_one(owner_in, make):
    client, owner, org = owner_in
    make.transaction(org, owner, kind="income", description="Invoice 7")
    make.transaction(org, owner, kind="expense", description="Toner")
    response = client.get(f"/o/{org.slug}/transactions?kind=income&sort=newest&max=x")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Invoice 7" in text and "Toner" not in text
    assert "Sort" in summary(text) and "Max amount" in summary(text)
    assert 'id="max" name="max" inputmode="decimal" value="x"' in text
