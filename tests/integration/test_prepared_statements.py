"""Statements run as the driver's SQL (`app.queries.prepared`) give what SQLAlchemy's own
execution gives, and a statement for which they would not is refused when first run."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import JSON, Numeric, bindparam, cast, literal, select

from app.extensions import db
from app.models import Transaction
from app.queries import transactions as listing
from app.queries.prepared import Prepared
from tenants.context import tenant_context


def _rows(result) -> list[tuple]:
    return [(tuple(row._fields), tuple(row)) for row in result]


def test_every_unfiltered_page_shape_reads_what_core_reads(app, make):
    owner = make.user()
    member = make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    make.transaction(org, owner, amount="1234.5", tags=["fuel", "van"], notes="with notes")
    make.transaction(org, owner, kind="income", amount="0.01", currency="USD")
    make.transaction(org, member, amount="99.99", description="Member's")
    with app.app_context(), tenant_context(org.id, owner.id):
        newest = db.session.execute(
            select(Transaction.date, Transaction.base_amount, Transaction.id)
            .order_by(Transaction.id.desc())
            .limit(1)
        ).one()
        connection = db.session.connection()
        shapes = itertools.product(("-date", "date", "-amount", "amount"), *[(False, True)] * 3)
        for sort, own, detailed, after in shapes:
            prepared = listing._unfiltered_page(sort, own, 2, detailed, after)
            values = {"page_org": org.id, "page_own": member.id if own else None}
            if after:
                values["page_value"] = newest.date if sort.endswith("date") else newest.base_amount
                values["page_last_id"] = newest.id + (1 if sort.startswith("-") else -1)
            core = _rows(connection.execute(prepared.statement, values))
            assert _rows(prepared.run(connection, values)) == core, (sort, own, detailed, after)
            assert core or (own and after), (sort, own, detailed, after)  # the shapes read rows
        db.session.rollback()


def test_a_statement_the_driver_would_read_differently_is_refused(app):
    with app.app_context():
        connection = db.session.connection()
        to_float = Prepared(select(cast(literal("1.5"), Numeric(asdecimal=False)).label("x")))
        with pytest.raises(ValueError, match="converted in Python"):
            to_float.run(connection, {})
        as_json = Prepared(select(literal(1).label("x")).where(bindparam("j", type_=JSON) != None))  # noqa: E711
        with pytest.raises(ValueError, match="converted in Python"):
            as_json.run(connection, {"j": {"a": 1}})
        in_list = Prepared(select(literal(1).label("x")).where(literal(1).in_([1, 2])))
        with pytest.raises(ValueError, match="expanding"):
            in_list.run(connection, {})
        db.session.rollback()


def test_the_pages_textual_reads_give_what_sqlalchemy_gives(app, make, monkeypatch):
    """Every statement the dashboard, the list and the budgets page run through
    `prepared.read` (for an owner, and for a member whose figures are their own), run again
    through `db.session.execute(text(...))`: the same rows, the same types."""
    from sqlalchemy import text

    from app.queries import prepared
    from tests.support.factories import PASSWORD
    from tests.support.web import https_client, login, post_form

    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    make.transaction(org, owner, amount="1234.56", tags=["fuel"])
    make.transaction(org, owner, kind="income", amount="0.01", currency="USD")
    make.transaction(org, member, amount="99.99")  # waits for approval
    budgets = f"/o/{org.slug}/budgets/new"
    seen: list[tuple[str, dict]] = []
    reading = prepared.read
    monkeypatch.setattr(
        prepared,
        "read",
        lambda sql, values: seen.append((sql, dict(values))) or reading(sql, values),
    )
    for person in (owner, member):
        browser = https_client(app)
        assert login(browser, person.email, PASSWORD).status_code == 302
        if person is owner:
            body = {"category_id": make.category(org, "expense"), "amount": "2000"}
            body |= {"period": "monthly", "thresholds": "80"}
            assert post_form(browser, budgets, body, budgets).status_code == 302
        for page in ("", "transactions", "budgets"):
            assert browser.get(f"/o/{org.slug}/{page}").status_code == 200
    assert len({sql for sql, _values in seen}) >= 6

    with app.app_context(), tenant_context(org.id, owner.id):
        for sql, values in seen:
            ours = _rows(reading(sql, values))
            theirs = _rows(db.session.execute(text(sql), values))
            assert ours == theirs, sql
            assert [tuple(map(type, row)) for _f, row in ours] == [
                tuple(map(type, row)) for _f, row in theirs
            ]
        db.session.rollback()
