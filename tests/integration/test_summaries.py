"""Transaction summaries stay equal to a recount of the rows whatever writes them, at once.

Writers run in parallel threads, each on its own connection, through the real services:
creates (an owner's, and a member's that wait for approval), edits of amount, currency, date,
category and kind, deletes one by one and in bulk, bulk recategorising, approvals, a recurring
rule's postings, and the demo loader's COPY into the same org and into new ones. Then `outlay
summaries check` finds no difference; a summary changed behind the triggers' back is reported
(exit 1) and `outlay summaries rebuild` repairs it.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, pool, text

from app.cli import main
from app.config import sqlalchemy_url
from app.demo.copy import owner_loader
from app.demo.orgs import create_demo_orgs
from app.demo.rows import TRANSACTION_COLUMNS, OrgLedger, transaction_lines
from app.extensions import db
from app.seat import Seat
from app.services.approvals import flow
from app.services.ledger import summaries
from app.services.ledger import transactions as txns
from app.services.recurring import materialise
from tenants.context import tenant_context
from tests.support.factories import seat_of
from tests.support.recurring import make_rule

TODAY = datetime.now(UTC).date()


def _day(months_back: int, day: int = 10) -> str:
    index = TODAY.year * 12 + TODAY.month - 1 - months_back
    return date(index // 12, index % 12 + 1, day).isoformat()


@pytest.fixture
def books(make):
    """An org with an owner and a member, its categories, and entries to edit and delete."""
    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    cats = {
        "expense": [make.category(org, "expense", f"Cost {n}") for n in range(3)],
        "income": [make.category(org, "income", "Consulting fees")],
    }
    made = [
        make.transaction(
            org,
            owner,
            amount=f"{10 + n}.25",
            date=_day(n % 4),
            category_id=cats["expense"][n % 3],
        )
        for n in range(24)
    ]
    return owner, member, org, cats, made


def _run(app, org, user, role: str, work: Callable[[Seat], None]) -> Callable[[], None]:
    def body() -> None:
        with app.test_request_context(), tenant_context(org.id, user.id):
            work(seat_of(org, user, role))

    return body


def _copy_into(owner_url: str, org, owner_id: int, rows: int) -> None:
    """The demo loader's COPY of `rows` generated transactions into an existing org."""
    with owner_loader(owner_url) as loader:
        with tenant_context(org.id, session=loader.session):
            found = loader.session.execute(
                text("SELECT name, id, kind FROM categories WHERE org_id = :o"), {"o": org.id}
            ).all()
        ledger = OrgLedger(org.id, owner_id, "EUR", {n: (i, k) for n, i, k in found}, {})
        lines = transaction_lines([ledger], rows, TODAY, random.Random(5))
        loader.copy_tenant("transactions", TRANSACTION_COLUMNS, lines, [org.id])
        loader.session.commit()


def _check(app, *args: str):
    return app.test_cli_runner().invoke(main, ["summaries", *args])


def test_parallel_writers_leave_summaries_equal_to_a_recount(app, owner_url, books):
    owner, member, org, cats, made = books
    rule_id = make_rule(
        app, org, owner, frequency="daily", start_date=(TODAY - timedelta(days=40)).isoformat()
    )
    edits, singles, in_bulk, moved = made[:8], made[8:11], made[11:17], made[17:]
    expense, income = cats["expense"], cats["income"][0]

    def create(seat: Seat) -> None:
        for n in range(12):
            kind = "income" if n % 3 == 0 else "expense"
            category = income if kind == "income" else expense[n % 3]
            currency = "USD" if n % 2 else "EUR"
            txns.create(
                seat,
                {"kind": kind, "amount": f"{n + 1}.10", "currency": currency,
                 "date": _day(n % 5, 3), "category_id": category},
            )  # fmt: skip

    def edit(seat: Seat) -> None:
        changes = [
            {"amount": "99.99"},
            {"currency": "USD"},
            {"date": _day(7, 1)},
            {"category_id": expense[2]},
            {"kind": "income", "category_id": income},
            {"amount": "0.01", "date": _day(1, 28)},
            {"currency": "GBP", "category_id": expense[0]},
            {"kind": "income", "category_id": income, "amount": "1000"},
        ]
        for txn_id, change in zip(edits, changes, strict=True):
            txns.update(seat, txn_id, change)

    def delete(seat: Seat) -> None:
        for txn_id in singles:
            txns.delete(seat, txn_id)
        txns.bulk_delete(seat, in_bulk)
        txns.bulk_recategorise(seat, moved, expense[1])

    def member_records(seat: Seat) -> None:  # each waits for approval: counted nowhere yet
        for n in range(6):
            fields = {"kind": "expense", "amount": f"{n + 5}", "category_id": expense[0]}
            txns.create(seat, {**fields, "date": _day(n % 2)})

    def approve(seat: Seat) -> None:
        for _ in range(6):
            waiting = db.session.scalars(
                text("SELECT id FROM transactions WHERE approval_state = 'submitted'")
            ).all()
            db.session.rollback()
            for txn_id in waiting:
                flow.approve(seat, txn_id)

    writers = [
        _run(app, org, owner, "owner", create),
        _run(app, org, owner, "owner", edit),
        _run(app, org, owner, "owner", delete),
        _run(app, org, member, "member", member_records),
        _run(app, org, owner, "owner", approve),
        _run(
            app, org, owner, "owner", lambda seat: materialise.materialise(Seat.system(org), TODAY)
        ),
        lambda: _copy_into(owner_url, org, owner.id, 400),
        lambda: create_demo_orgs(owner_url, 2, 150, password_hash="x", seed=3),
    ]
    failures: list[str] = []
    start = threading.Barrier(len(writers))

    def guarded(writer: Callable[[], None]) -> None:
        start.wait()
        try:
            writer()
        except BaseException as exc:  # reported below, with the writer that raised it
            failures.append(repr(exc))

    threads = [threading.Thread(target=guarded, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert failures == []

    result = _check(app, "check")
    assert result.exit_code == 0, result.output
    assert "Summaries match the transactions." in result.output
    with app.app_context(), tenant_context(org.id):
        kept, rows, posted = db.session.execute(
            text(
                "SELECT (SELECT sum(row_count) FROM transaction_summaries),"
                " (SELECT count(*) FROM transactions),"
                " (SELECT count(*) FROM transactions WHERE recurring_rule_id = :r)"
            ),
            {"r": rule_id},
        ).one()
    # 24 made + 12 + 6 created + 41 posted + 400 copied; the 3 + 6 deleted are in the trash,
    # still rows (and summarised under status 'trashed', which no figure counts)
    assert (kept, rows, posted) == (483, 483, 41)


def test_check_reports_a_corrupted_summary_and_rebuild_repairs_it(app, owner_url, make):
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, amount="40.00")
    make.transaction(org, owner, amount="2.50", kind="income")
    engine = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    with engine.begin() as conn:  # as the owner, behind the triggers' back
        conn.execute(text("SELECT set_config('app.org_id', :o, true)"), {"o": str(org.id)})
        conn.execute(
            text("UPDATE transaction_summaries SET base_total = base_total + 7 WHERE kind = :k"),
            {"k": "expense"},
        )
    engine.dispose()

    found = _check(app, "check", "--org", org.slug)
    assert found.exit_code == 1
    assert f"{org.slug}: 1 summaries differ" in found.output
    assert "kept 1 totalling 47.0000, rows 1 totalling 40.0000" in found.output

    repaired = _check(app, "rebuild", "--org", org.slug)
    assert repaired.exit_code == 0, repaired.output
    assert _check(app, "check", "--org", org.slug).exit_code == 0
    with app.app_context():
        assert summaries.check(org.id) == []
        with tenant_context(org.id):
            totals = db.session.execute(
                text("SELECT kind, base_total FROM transaction_summaries ORDER BY kind")
            ).all()
    assert [(k, Decimal(v)) for k, v in totals] == [("expense", 40), ("income", Decimal("2.5"))]
    assert "No such organisation: nope" in _check(app, "check", "--org", "nope").output
