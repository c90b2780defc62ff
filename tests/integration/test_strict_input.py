"""Money, dates and rates parse strictly (10.8), amounts keep their currency's precision
(11.2), saved views keep what was typed (11.3), duplicates are refused (11.4)."""

from __future__ import annotations

import pytest

from tests.support.api import Api, fields_of, token_for
from tests.support.factories import PASSWORD
from tests.support.web import login, post_form


@pytest.fixture
def owner_api(app, client, make):
    owner = make.user()
    org = make.org(owner)
    return owner, org, Api(client, token_for(app, owner), org.slug)


def _count(api: Api) -> int:
    return len(api.get("/transactions?limit=200").get_json()["items"])


def _expense(make, org, **fields):
    return {
        "kind": "expense",
        "date": "2024-03-15",
        "amount": "10",
        "category_id": make.category(org, "expense"),
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "\u0663"}, "amount"),  # an Arabic-Indic three
        ({"amount": "1_000"}, "amount"),
        ({"amount": "1,5"}, "amount"),
        ({"amount": "1 000"}, "amount"),
        ({"amount": "1e3"}, "amount"),
        ({"date": "20261120"}, "date"),
        ({"date": "2026-W47-5"}, "date"),
        ({"date": "2026-11-20T10:00"}, "date"),
        ({"amount": "10.5", "currency": "JPY"}, "amount"),
        ({"amount": "0.001", "currency": "EUR"}, "amount"),
        ({"amount": "1", "currency": "USD", "rate": "0.0000000001"}, "rate"),
        ({"amount": "1", "currency": "USD", "rate": "1_0"}, "rate"),
        ({"amount": "1", "currency": "USD", "rate": "0,9"}, "rate"),
        ({"category_id": "\u0661"}, "category_id"),
    ],
)
def test_the_api_refuses_ambiguous_amounts_dates_and_rates(make, owner_api, fields, field):
    _owner, org, api = owner_api
    before = _count(api)
    response = api.post("/transactions", _expense(make, org, **fields))
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in fields_of(response)
    assert _count(api) == before


def test_three_decimals_are_fine_where_the_currency_has_them(make, owner_api):
    _owner, org, api = owner_api
    saved = api.post("/transactions", _expense(make, org, amount="1.234", currency="BHD"))
    assert saved.status_code == 201, saved.get_data(as_text=True)
    assert saved.get_json()["amount"] == "1.2340"


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/budgets", {"amount": "1,000.5", "period": "monthly"}, "amount"),
        ("/budgets", {"amount": "10.001", "period": "annual"}, "amount"),  # EUR: two decimals
        ("/recurring", {"amount": "1_0", "frequency": "monthly"}, "amount"),
        ("/recurring", {"start_date": "20260101", "frequency": "monthly"}, "start_date"),
        ("/recurring", {"end_date": "2026-W01-1", "frequency": "monthly"}, "end_date"),
    ],
)
def test_budgets_and_recurring_rules_parse_the_same_way(owner_api, path, payload, field):
    _owner, _org, api = owner_api
    response = api.post(path, payload)
    assert response.status_code == 422 and field in fields_of(response)


@pytest.mark.parametrize(
    ("query", "field"),
    [("min=1,5", "min"), ("max=\u0663", "max"), ("from=20261120", "from"), ("to=2026-W47-5", "to")],
)
def test_filters_refuse_the_same_values(owner_api, query, field):
    _owner, _org, api = owner_api
    response = api.get(f"/transactions?{query}")
    assert response.status_code == 422 and field in fields_of(response)


def test_the_form_reads_the_users_locale_and_refuses_a_misplaced_separator(app, client, make):
    owner = make.user()
    org = make.org(owner)
    api = Api(client, token_for(app, owner), org.slug)
    login(client, owner.email, PASSWORD)
    new = f"/o/{org.slug}/transactions/new"
    form = {
        "kind": "expense",
        "date": "2024-03-15",
        "currency": "EUR",
        "category_id": make.category(org, "expense"),
    }
    refused = post_form(client, new, {**form, "amount": "1,5"}, token_from=new)
    assert refused.status_code == 422 and "thousands separator" in refused.get_data(as_text=True)
    assert _count(api) == 0  # never stored as 15
    saved = post_form(client, new, {**form, "amount": "1,500.25"}, token_from=new)
    assert saved.status_code == 302
    assert [t["amount"] for t in api.get("/transactions").get_json()["items"]] == ["1500.2500"]


def test_a_saved_view_keeps_the_filters_as_typed(client, make):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    base = f"/o/{org.slug}/transactions"
    saved = post_form(
        client,
        f"/o/{org.slug}/views",
        {"name": "Big food", "query": "min=50&max=1000.50&tag=Food"},
        token_from=base,
    )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("?tag=Food&min=50&max=1000.50")
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'value="50"' in page and 'value="1000.50"' in page and "5E+1" not in page


def test_a_view_name_in_use_is_refused_unless_replace_is_ticked(app, client, make):
    from app.extensions import db
    from app.models import SavedView
    from tenants.context import tenant_context

    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    base = f"/o/{org.slug}/transactions"
    views = f"/o/{org.slug}/views"
    post_form(client, views, {"name": "Mine", "query": "kind=expense"}, token_from=base)
    again = post_form(
        client,
        views,
        {"name": "mine", "query": "kind=income"},
        token_from=base,
        follow_redirects=True,
    )
    assert "already have a view named" in again.get_data(as_text=True)

    def stored() -> list[str]:
        with app.app_context(), tenant_context(org.id, owner.id):
            return list(
                db.session.scalars(db.select(SavedView.query).where(SavedView.org_id == org.id))
            )

    assert stored() == ["kind=expense"]
    post_form(
        client,
        views,
        {"name": "Mine", "query": "kind=income", "replace": "1"},
        token_from=base,
    )
    assert stored() == ["kind=income"]


def test_a_second_budget_on_one_category_and_period_is_refused(make, owner_api, client):
    owner, org, api = owner_api
    food = make.category(org, name="Veg boxes")
    first = api.post("/budgets", {"category_id": food, "amount": "100", "period": "monthly"})
    assert first.status_code == 201
    again = api.post("/budgets", {"category_id": food, "amount": "250", "period": "monthly"})
    assert again.status_code == 422
    assert "already a monthly budget for Veg boxes" in fields_of(again)["category_id"]
    assert api.post("/budgets", {"amount": "900", "period": "monthly"}).status_code == 201
    assert api.post("/budgets", {"amount": "800", "period": "monthly"}).status_code == 422
    annual = api.post("/budgets", {"category_id": food, "amount": "900", "period": "annual"})
    assert annual.status_code == 201
    # Moving the annual budget onto the monthly one's period is the same duplicate.
    moved = api.patch(f"/budgets/{annual.get_json()['id']}", {"period": "monthly"})
    assert moved.status_code == 422 and "category_id" in fields_of(moved)
    login(client, owner.email, PASSWORD)
    new = f"/o/{org.slug}/budgets/new"
    page = post_form(
        client, new, {"category_id": food, "amount": "5", "period": "monthly"}, token_from=new
    )
    assert page.status_code == 422 and "already a monthly budget" in page.get_data(as_text=True)
    assert len(api.get("/budgets").get_json()["items"]) == 3


def test_the_database_refuses_a_duplicate_budget_too(app, make):
    """The unique index holds even when the service's check is bypassed (two saves racing)."""
    from sqlalchemy.exc import IntegrityError

    from app.extensions import db
    from app.models import Budget
    from tenants.context import tenant_context

    owner = make.user()
    org = make.org(owner)
    with app.app_context(), tenant_context(org.id, owner.id):
        for _ in range(2):
            db.session.add(
                Budget(org_id=org.id, name="All", period="monthly", amount=1, thresholds=[80])
            )
        with pytest.raises(IntegrityError, match="uq_budgets_category_period"):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize(
    ("amount", "currency", "why"),
    [
        ("10.5", "JPY", "JPY amounts are whole numbers"),
        ("0.001", "EUR", "EUR amounts have at most 2 decimal places"),
        ("1.2345", "BHD", "BHD amounts have at most 3 decimal places"),
    ],
)
def test_the_forms_refuse_more_decimals_than_the_currency_has(app, client, make, amount, currency,
                                                              why):  # fmt: skip
    """11.2 through the web forms: new and edit, and a recurring rule; nothing is stored and the
    form comes back with the amount as typed and the error under the Amount label."""
    owner = make.user()
    org = make.org(owner)
    api = Api(client, token_for(app, owner), org.slug)
    login(client, owner.email, PASSWORD)
    fuel = make.category(org, "expense")
    form = {"kind": "expense", "date": "2024-03-15", "currency": currency, "category_id": fuel}
    new = f"/o/{org.slug}/transactions/new"
    refused = post_form(client, new, {**form, "amount": amount}, token_from=new)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f"Amount: {why}" in page
    assert f'id="amount" name="amount" value="{amount}"' in page
    assert _count(api) == 0

    txn = make.transaction(org, owner, amount="10", category_id=fuel, date="2024-03-15")
    edit = f"/o/{org.slug}/transactions/{txn}"
    changed = post_form(client, edit, {**form, "amount": amount}, token_from=edit)
    assert changed.status_code == 422 and f"Amount: {why}" in changed.get_data(as_text=True)
    assert [t["amount"] for t in api.get("/transactions").get_json()["items"]] == ["10.0000"]

    rules = f"/o/{org.slug}/recurring/new"
    rule = {**form, "amount": amount, "frequency": "monthly", "interval": "1",
            "start_date": "2026-11-01"}  # fmt: skip
    refused_rule = post_form(client, rules, rule, token_from=rules)
    assert refused_rule.status_code == 422 and why in refused_rule.get_data(as_text=True)
    assert api.get("/recurring").get_json()["items"] == []


def test_changing_only_the_currency_keeps_the_amount_to_its_precision(make, owner_api):
    """EUR 10.50 cannot become JPY 10.50 by a PATCH of the currency alone."""
    _owner, org, api = owner_api
    made = api.post("/transactions", _expense(make, org, amount="10.50"))
    assert made.status_code == 201
    txn = made.get_json()["id"]
    moved = api.patch(f"/transactions/{txn}", {"currency": "JPY"})
    assert moved.status_code == 422 and "whole numbers" in fields_of(moved)["amount"]
    assert api.get(f"/transactions/{txn}").get_json()["currency"] == "EUR"
    assert api.patch(f"/transactions/{txn}", {"currency": "JPY", "amount": "11"}).status_code == 200


# --- the same values through the web forms (10.8: "in forms AND the API") --------------------

# Each example of the issue, and its siblings, typed into a form by an English-locale user.
FORM_EXAMPLES = [
    ("transactions", {"amount": "1,5"}, "amount"),  # never stored as 15
    ("transactions", {"amount": "1 000"}, "amount"),
    ("transactions", {"amount": "1\u00a0000"}, "amount"),  # a no-break space
    ("transactions", {"amount": "1_000"}, "amount"),
    ("transactions", {"amount": "\u0663"}, "amount"),  # an Arabic-Indic three
    ("transactions", {"amount": "\uff11\uff10"}, "amount"),  # fullwidth 10
    ("transactions", {"amount": "1e3"}, "amount"),
    ("transactions", {"date": "20261120"}, "date"),
    ("transactions", {"date": "2026-W47-5"}, "date"),
    ("transactions", {"date": "2026-324"}, "date"),  # an ordinal date
    ("transactions", {"date": "\u0662\u0660\u0662\u0666-11-20"}, "date"),
    ("transactions", {"currency": "USD", "rate": "1e-10"}, "rate"),
    ("transactions", {"currency": "USD", "rate": "0.0000000001"}, "rate"),
    # Not too many digits, but 1 USD at this rate is EUR 0.001: it rounds to nothing.
    ("transactions", {"currency": "USD", "rate": "0.001"}, "rate"),
    ("transactions", {"currency": "USD", "rate": "1_0"}, "rate"),
    ("budgets", {"amount": "1,5"}, "amount"),
    ("budgets", {"amount": "\u0663"}, "amount"),
    ("recurring", {"amount": "1 000"}, "amount"),
    ("recurring", {"amount": "1_000"}, "amount"),
    ("recurring", {"start_date": "20261120"}, "start_date"),
    ("recurring", {"end_date": "2026-W47-5"}, "end_date"),
]


@pytest.mark.parametrize(("page", "fields", "field"), FORM_EXAMPLES)
def test_forms_refuse_each_ambiguous_amount_date_and_rate_by_field(
    app, client, make, page, fields, field
):
    owner = make.user()
    org = make.org(owner)
    api = Api(client, token_for(app, owner), org.slug)
    login(client, owner.email, PASSWORD)
    valid = {
        "transactions": {"kind": "expense", "date": "2024-03-15", "currency": "EUR"},
        "budgets": {"period": "monthly"},
        "recurring": {"kind": "expense", "frequency": "monthly", "start_date": "2026-01-01"},
    }[page]
    form = {**valid, "amount": "1", "category_id": make.category(org, "expense"), **fields}
    new = f"/o/{org.slug}/{page}/new"
    before = api.get(f"/{page}").get_json()["items"]

    refused = post_form(client, new, form, token_from=new)

    html = refused.get_data(as_text=True)
    assert refused.status_code == 422, html[:300]
    assert f'id="{field}-error"' in html  # the field is named beside its input
    assert api.get(f"/{page}").get_json()["items"] == before  # nothing was stored
