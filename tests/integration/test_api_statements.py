"""The transaction list costs at most three SQL statements per API request (token lookup,
tenant setting, the page), so it stays fast under load."""

from __future__ import annotations

from sqlalchemy import event

from tests.support.api import Api, token_for


def test_listing_transactions_takes_three_statements(app, client, make):
    owner = make.user()
    org = make.org(owner)
    for n in range(60):
        make.transaction(org, owner, amount=f"{n + 1}.25", description=f"Row {n}")
    api = Api(client, token_for(app, owner), org.slug)
    api.get("/transactions?limit=50")  # warm: the first request may open a connection

    with app.app_context():
        from app.extensions import db

        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = api.get("/transactions?limit=50")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200 and len(response.get_json()["items"]) == 50
    assert len(statements) <= 3, statements
