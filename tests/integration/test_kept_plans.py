"""What every web page asks of PostgreSQL before its own work stays cheap as the platform grows:
the org switcher reads the person's orgs only (not every org on the platform), and the
definer functions a page calls keep their plans (migration 0016), answering as before and
going back to the very functions they were on a downgrade."""

from __future__ import annotations

import json
import uuid

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from app import db_setup
from app.config import sqlalchemy_url
from tests.support.databases import drop_database
from tests.support.factories import PASSWORD, unique
from tests.support.web import https_client, login
from tests.support.wire import app_through

FUNCTIONS = ("outlay_session_open", "outlay_org_entry", "outlay_my_memberships")


def _rows_read(plan: dict, relation: str) -> int:
    """Rows the plan's scans of `relation` produced, over all their loops."""
    found = 0
    if plan.get("Relation Name") == relation:
        found += plan["Actual Rows"] * plan["Actual Loops"]
    return found + sum(_rows_read(child, relation) for child in plan.get("Plans", []))


def test_the_org_switcher_reads_only_the_persons_orgs(
    app, app_factory, owner_url, wire, make, app_engine
):
    person = make.user()
    mine = [make.org(person, unique(f"Mine {n} ")) for n in range(2)]
    for n in range(40):  # other people's orgs: the platform around this person
        make.org(make.user(), unique(f"Theirs {n} "))
    counted = app_through(app_factory, owner_url, wire)
    browser = https_client(counted)
    assert login(browser, person.email, PASSWORD).status_code == 302
    page = browser.get(f"/o/{mine[0].slug}/analytics")
    assert page.status_code == 200 and mine[1].name in page.get_data(as_text=True)

    wire.clear()
    assert browser.get(f"/o/{mine[0].slug}/analytics").status_code == 200
    (navbar,) = [t for t in wire.taken() if "outlay_my_memberships" in t]
    with app_engine.connect() as conn, conn.begin():
        conn.execute(
            text("SELECT set_config('app.org_id', :o, true), set_config('app.user_id', :u, true)"),
            {"o": str(mine[0].id), "u": str(person.id)},
        )
        total = conn.execute(text("SELECT count(*) FROM organisations")).scalar()
        explained = conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + navbar.replace("%", "%%")
        ).scalar()
    plan = (explained if isinstance(explained, list) else json.loads(explained))[0]["Plan"]
    assert total > 40
    assert _rows_read(plan, "organisations") == len(mine)


def _functions(conn) -> dict[str, tuple[str, str, float, str]]:
    """Every function of the schema: (language, source, rows estimate, result type)."""
    rows = conn.execute(
        text(
            "SELECT p.proname, l.lanname, p.prosrc, p.prorows, pg_get_function_result(p.oid)"
            " FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
            " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
        )
    ).all()
    return {name: tuple(rest) for name, *rest in rows}


def test_the_newest_migrations_go_down_to_the_very_functions_they_replaced(
    pg_server, app_factory, tmp_path
):
    """0016 (the page's functions keep plans) and 0017 (a token's use recorded apart): up,
    then down to 0015, gives back every function as 0015 had it, to the character."""
    from app import create_app
    from tests.support.settings import make_config

    name = f"outlay_plans_{uuid.uuid4().hex[:8]}"
    db_setup.create_database(pg_server, name)
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    probe = app_factory()  # for the test Redis and mail settings only
    config = make_config(url, probe.config["REDIS_URL"], tmp_path, probe.config["MAIL_PORT"])
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    try:
        with create_app(config).app_context():
            upgrade(revision="0015")
            with engine.connect() as conn:
                before = _functions(conn)
            upgrade(revision="heads")
            with engine.connect() as conn:
                kept = _functions(conn)
            downgrade(revision="0015")
            with engine.connect() as conn:
                after = _functions(conn)
    finally:
        engine.dispose()
        drop_database(pg_server, name)

    assert {before[f][0] for f in FUNCTIONS} == {"sql"}
    assert {f: kept[f][0] for f in FUNCTIONS} == dict.fromkeys(FUNCTIONS, "plpgsql")
    assert kept["outlay_session_open"][2] == kept["outlay_org_entry"][2] == 1
    assert kept["outlay_my_memberships"][2] <= 10
    for function in FUNCTIONS:
        assert " ".join(before[function][1].split()) in " ".join(kept[function][1].split())
    assert "last_used_at" in kept["outlay_token_access"][3] and "outlay_token_touch" in kept
    assert "UPDATE" not in kept["outlay_token_access"][1]
    assert after == before
