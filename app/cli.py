"""The `outlay` command: Flask's commands (`outlay db upgrade`, ...) plus `up` and `demo`."""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from pathlib import Path

import click
from flask.cli import AppGroup, FlaskGroup

from app import create_app
from app.config import Config
from app.supervisor import Supervisor


def _make_app():  # type: ignore[no-untyped-def]
    return create_app(Config())


main = FlaskGroup(create_app=_make_app, help="Outlay: expenses and income, as a team.")
DEMO_ORG_TRANSACTIONS = 400  # what the demo org of `outlay up` starts with


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OUTLAY_INSTANCE"] = str(Path(env.get("OUTLAY_INSTANCE", "instance")).resolve())
    return env


def prepare_environment(
    stack: ExitStack,
    env: dict[str, str],
    *,
    redis: bool = True,
    supervisor: Supervisor | None = None,
) -> dict[str, str]:
    """Fill DATABASE_URL / REDIS_URL with embedded servers where unset; keep them running.
    With a supervisor, the embedded Redis is one of its children (restarted if it exits)."""
    from app.embedded import redis_command, start_postgres, start_redis, wait_for_redis

    instance = Path(env["OUTLAY_INSTANCE"])
    if not env.get("DATABASE_URL"):
        url, server = start_postgres(instance / "postgres")
        stack.callback(server.cleanup)
        env["DATABASE_URL"] = url
        click.echo("Embedded PostgreSQL running (data in instance/postgres).")
    if redis and not env.get("REDIS_URL") and supervisor is not None:
        url, argv = redis_command(instance / "redis")
        supervisor.add("redis", argv, env, stop_last=True)
        if not wait_for_redis(url):
            supervisor.stop_all()
            raise click.ClickException("The embedded Redis did not start.")
        env["REDIS_URL"] = url
        click.echo("Embedded Redis running (data in instance/redis).")
    elif redis and not env.get("REDIS_URL"):
        url, client = start_redis(instance / "redis")
        stack.callback(client.shutdown)
        env["REDIS_URL"] = url
        click.echo("Embedded Redis running (data in instance/redis).")
    return env


def up_environment(env: dict[str, str], host: str, port: int) -> dict[str, str]:
    """The settings `outlay up` adds for one machine (an explicit environment value wins)."""
    env.setdefault("OUTLAY_ENV", "development")
    env.setdefault("OUTLAY_SECURE_COOKIES", "false")  # plain HTTP on this machine
    browser_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
    origin_host = f"[{browser_host}]" if ":" in browser_host else browser_host
    # Links in mail (from the web app and the worker) point at the port served here.
    env.setdefault("OUTLAY_BASE_URL", f"http://{origin_host}:{port}")
    # The same machine under its other loopback names is still this app.
    env.setdefault("OUTLAY_TRUSTED_HOSTS", "localhost,127.0.0.1")
    # The portal runs on its own port here (Procfile: PORTAL_PORT, default 8501).
    portal_port = env.get("PORTAL_PORT") or "8501"
    env.setdefault("OUTLAY_PORTAL_URL", f"http://{origin_host}:{portal_port}/portal")
    return env


@main.command("up", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn workers")
def up(host: str, port: int, workers: int) -> None:
    """Start everything on this machine: database, Redis, migrations, demo org, web, worker,
    scheduler."""
    from app import db_setup
    from app.demo.login import ensure_demo
    from app.demo.orgs import fill_user_org
    from app.processes import commands

    env = up_environment(_environment(), host, port)

    supervisor = Supervisor(lambda line: click.echo(line, err=True))
    with ExitStack() as stack:
        env = prepare_environment(stack, env, supervisor=supervisor)
        stack.callback(click.echo, "Stopped.")
        stack.callback(supervisor.stop_all)  # runs first: before the embedded PostgreSQL stops
        app = create_app(Config(env))
        db_setup.upgrade(app)
        with app.app_context():
            email, password = ensure_demo()
        if added := fill_user_org(env["DATABASE_URL"], email, DEMO_ORG_TRANSACTIONS):
            click.echo(f"Demo org: {added} sample transactions added.")
        for name, argv in commands(env, host, port, workers).items():
            supervisor.add(name, argv, env)
        click.echo(f"\nOutlay is running at http://{host}:{port}/")
        click.echo(f"Demo login: {email} / {password}")
        click.echo("Press Ctrl-C to stop.\n")
        supervisor.run()  # restarts a process that exits; returns on Ctrl-C


@main.command("demo", with_appcontext=False)
@click.option("--orgs", default=3, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--transactions", default=1000, show_default=True, type=click.IntRange(0, 10_000_000))
@click.option("--seed", type=int, default=None, help="Random seed, for repeatable data.")
def demo(orgs: int, transactions: int, seed: int | None) -> None:
    """Add demo orgs, each with an owner and realistic transactions (bulk COPY)."""
    from flask_security import hash_password

    from app import db_setup
    from app.demo.login import DEMO_PASSWORD
    from app.demo.orgs import create_demo_orgs

    env = _environment()
    with ExitStack() as stack:
        embedded = not env.get("DATABASE_URL")
        env = prepare_environment(stack, env, redis=False)
        app = create_app(Config(env))
        if embedded:
            db_setup.upgrade(app)
        with app.app_context():
            password_hash = hash_password(DEMO_PASSWORD)
        began = time.perf_counter()
        result = create_demo_orgs(
            env["DATABASE_URL"], orgs, transactions, password_hash=password_hash, seed=seed
        )
        seconds = time.perf_counter() - began
    how = "COPY" if result.bypass_rls else "COPY to staging, INSERT per org under RLS"
    click.echo(
        f"Created {orgs} orgs with {transactions} transactions each "
        f"({result.transactions} transactions) in {seconds:.2f} s ({how})."
    )
    click.echo(f"Log in as any owner, e.g. {result.emails[0]} / {DEMO_PASSWORD}")


summaries_group = AppGroup("summaries", help="Transaction summaries: check or rebuild them.")
main.add_command(summaries_group)
org_option = click.option(
    "--org", "slugs", multiple=True, help="An org's slug (repeatable); default: every org."
)


def _orgs(slugs: tuple[str, ...]) -> list[tuple[int, str]]:
    from app.services.ledger import summaries

    try:
        return summaries.orgs(slugs)
    except LookupError as exc:
        raise click.UsageError(str(exc)) from None


@summaries_group.command("check")
@org_option
def summaries_check(slugs: tuple[str, ...]) -> None:
    """Compare each org's summaries with a recount of its transactions; exit 1 on any
    difference."""
    from app.services.ledger import summaries

    wrong = 0
    for org_id, slug in _orgs(slugs):
        found = summaries.check(org_id)
        if found:
            wrong += 1
            click.echo(f"{slug}: {len(found)} summaries differ from the transactions")
            for difference in found:
                click.echo(f"  {difference.describe()}")
    if wrong:
        click.echo(f"{wrong} org(s) with differences; `outlay summaries rebuild` repairs them.")
        raise SystemExit(1)
    click.echo("Summaries match the transactions.")


@summaries_group.command("rebuild")
@org_option
def summaries_rebuild(slugs: tuple[str, ...]) -> None:
    """Replace each org's summaries by a recount of its transactions."""
    from app.services.ledger import summaries

    for org_id, slug in _orgs(slugs):
        click.echo(f"{slug}: {summaries.rebuild(org_id)} summary rows")
