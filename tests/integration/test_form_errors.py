"""Every HTML form, given one bad value, answers 422 with the error named by the field's label
(as the form shows it, never the internal name) and the form again with what was typed; bad
URL parameters on the transactions list say which parameter and why, and the rest still apply."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.support.web import post_form


def summary(page: str) -> str:
    """The text of the error summary at the top of the form (or the filter error box)."""
    match = re.search(r'data-testid="(?:form|filter)-errors">(.*?)</div>', page, re.S)
    assert match, "no error summary on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def case(form: str, data: dict[str, str], label: str, bad: str, posts_to: str = "") -> Any:
    """The page carrying the form (it posts to itself unless `posts_to` says where), what is
    posted, the bad field's label and the bad field (its value is what must be kept)."""
    action = posts_to or form
    return pytest.param(
        form, action, data, label, data[bad], id=f"{action.split('/')[-1] or action}-{label}"
    )


EXPENSE = {"kind": "expense", "category_id": "{expense}"}
CASES = [
    case("/o/{o}/transactions/new", {**EXPENSE, "amount": "12", "date": "31/12/2026"}, "Date",
         bad="date"),
    case("/o/{o}/transactions/{txn}", {**EXPENSE, "amount": "twelve", "date": "2026-11-02"},
         "Amount", bad="amount"),
    case(
        "/o/{o}/recurring/new",
        {**EXPENSE, "amount": "50", "frequency": "monthly", "interval": "every",
         "start_date": "2026-11-01", "currency": "EUR"},
        "Every (1 = each time)",
        bad="interval",
    ),
    case(
        "/o/{o}/recurring",
        {"title": "Pay the VAT", "due_date": "next Tuesday", "amount": "",
         "remind_days_before": "3"},
        "Due",
        bad="due_date",
        posts_to="/o/{o}/reminders",
    ),
    case(
        "/o/{o}/budgets/new",
        {"name": "", "category_id": "", "amount": "lots", "period": "monthly", "thresholds": "80"},
        "Amount (EUR)",
        bad="amount",
    ),
    case("/o/{o}/categories", {"name": "Vans", "kind": "expense", "color": "dark red",
                               "icon": "tag"}, "Colour", bad="color"),
    case("/o/{o}/categories/{expense}", {"name": "Rent", "kind": "expense", "color": "#123456",
                                         "icon": "no spaces!"}, "Icon name", bad="icon"),
    case("/o/{o}/categories", {"name": "A card with a name far too long to be a payment method"},
         "New payment method", bad="name", posts_to="/o/{o}/payment-methods"),
    case("/o/{o}/transactions?kind=expense", {"name": "v" * 61, "query": "kind=expense"},
         "Save this filter as", bad="name", posts_to="/o/{o}/views"),
    case("/o/{o}/members", {"email": "not-an-address", "role": "member"}, "Email", bad="email",
         posts_to="/o/{o}/members/invite"),
    case("/o/{o}/settings", {"name": "N" * 121, "base_currency": "EUR"}, "Name", bad="name"),
    case("/orgs/new", {"name": "O" * 121, "base_currency": "EUR"}, "Name", bad="name"),
    case("/profile", {"name": "P" * 121, "default_org": "0", "locale": "en"}, "Name",
         bad="name"),
    case("/profile", {"name": "T" * 61}, "Token name", bad="name", posts_to="/profile/tokens"),
    case("/o/{o}/settings/approvals", {"approval_amount": "lots", "digest_days": "2"},
         "Any expense at or above this amount needs approval", bad="approval_amount"),
    case("/o/{o}/settings/approvals", {"approval_amount": "", "digest_days": "often"},
         "Remind approvers of items waiting more than (days)", bad="digest_days"),
    case("/o/{o}/delete", {"confirm_name": "Not our name"},
         "Type the organisation's name to confirm", bad="confirm_name"),
]  # fmt: skip


@pytest.mark.parametrize(("page", "action", "data", "label", "typed"), CASES)
def test_a_bad_value_is_named_by_its_label_and_kept(owner_session, make, page, action, data, label,
                                                    typed):  # fmt: skip
    client, owner, org = owner_session
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


def test_reminder_errors_keep_every_field_typed(owner_session):
    client, _owner, org = owner_session
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
        pytest.param("sort=newest", "Sort", "Sort by one of", id="sort"),
        pytest.param("method=abc", "Payment method", "whole number", id="method"),
        pytest.param("cursor=garbage", "Page link", "not valid", id="cursor"),
        pytest.param("min=cheap", "Min amount", "not a number", id="min"),
        pytest.param("limit=9999", "Rows per page", "whole number", id="limit"),
    ],
)
def test_a_bad_url_parameter_says_which_and_why(owner_session, make, query, label, why):
    client, owner, org = owner_session
    make.transaction(org, owner, description="Printer paper")
    response = client.get(f"/o/{org.slug}/transactions?{query}")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    errors = summary(text)
    assert label in errors and query in errors and why in errors, errors
    assert "No transactions match these filters" not in text
    assert "Printer paper" in text  # the list is still there, the bad parameter ignored


def test_the_good_parameters_still_apply_beside_a_bad_one(owner_session, make):
    client, owner, org = owner_session
    make.transaction(org, owner, kind="income", description="Invoice 7")
    make.transaction(org, owner, kind="expense", description="Toner")
    response = client.get(f"/o/{org.slug}/transactions?kind=income&sort=newest&max=x")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Invoice 7" in text and "Toner" not in text
    assert "Sort" in summary(text) and "Max amount" in summary(text)
    assert 'id="max" name="max" inputmode="decimal" value="x"' in text


@pytest.mark.parametrize(
    ("query", "label", "why"),
    [
        pytest.param("min=cheap", "From amount", "number", id="min"),
        pytest.param("person=somebody", "Person", "", id="person"),
    ],
)
def test_a_bad_parameter_on_the_approval_queue_says_which(owner_session, query, label, why):
    client, _owner, org = owner_session
    response = client.get(f"/o/{org.slug}/approvals?{query}")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    errors = summary(text)
    assert f"{label}: " in errors and why in errors, errors
    assert query.split("=")[0] + ":" not in errors.replace(f"{label}:", "")


@pytest.mark.parametrize(
    ("query", "label", "why"),
    [
        pytest.param("period=weekly", "Period", "Choose month", id="period"),
        pytest.param("period=month&on=yesterday", "A day in the period", "", id="on"),
        pytest.param("period=custom&from=2026-03-01&to=2026-02-01", "To", "before", id="to"),
        pytest.param("format=doc", "File format", "Choose html", id="format"),
    ],
)
def test_a_bad_report_parameter_is_named_on_the_report(owner_session, query, label, why):
    client, _owner, org = owner_session
    response = client.get(f"/o/{org.slug}/reports/profit-and-loss?{query}", follow_redirects=True)
    assert response.status_code == 200 and response.request.path.endswith("/profit-and-loss")
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    assert f"{label}: " in text and why in text, text[:2000]


def test_a_bad_reimbursement_date_comes_back_as_typed(owner_session, make):
    """The "to reimburse" form: a refused date is named by its label, and what was typed and
    ticked stays on the page (it was lost in a redirect)."""
    client, owner, org = owner_session
    taxi = make.transaction(org, owner, amount="30", description="Taxi", paid_personally=True)
    train = make.transaction(org, owner, amount="12", description="Train", paid_personally=True)
    page = f"/o/{org.slug}/reimbursements"
    posted = {"ids": [str(taxi)], "paid_on": "last Friday", "method": "Cash", "reference": "R-9"}
    response = post_form(client, page, posted, token_from=page)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Paid on: " in summary(text)
    for typed in ("last Friday", "Cash", "R-9"):
        assert f'value="{typed}"' in text, typed
    assert re.search(rf'value="{taxi}" id="owe-{taxi}" checked', text)
    assert re.search(rf'value="{train}" id="owe-{train}" aria-label', text)  # left unticked
    assert "Nothing to reimburse" not in text  # nothing was marked
