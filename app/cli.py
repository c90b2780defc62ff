"""The `outlay` command: Flask's commands (`outlay db upgrade`, ...) plus `up` and `demo`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

import click
from flask.cli import FlaskGroup

from app import create_app
from app.config import Config


def _make_app():  # type: ignore[no-untyped-def]
    return create_app(Config())


INFRA = Path(__file__).resolve().parent.parent / "infra"

main = FlaskGroup(create_app=_make_app, help="Outlay: expenses and income, as a team.")


def prepare_environment(stack: ExitStack, env: dict[str, str]) -> dict[str, str]:
    """Fill DATABASE_URL / REDIS_URL with embedded servers where unset; keep them running."""
    from app.embedded import start_postgres, start_redis

    instance = Path(env["OUTLAY_INSTANCE"])
    if not env.get("DATABASE_URL"):
        url, server = start_postgres(instance / "postgres")
        stack.callback(server.cleanup)
        env["DATABASE_URL"] = url
        click.echo("Embedded PostgreSQL running (data in instance/postgres).")
    if not env.get("REDIS_URL"):
        url, client = start_redis(instance / "redis")
        stack.callback(client.shutdown)
        env["REDIS_URL"] = url
        click.echo("Embedded Redis running (data in instance/redis).")
    return env


@main.command("up", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn workers")
def up(host: str, port: int, workers: int) -> None:
    """Start everything on this machine: database, Redis, migrations, demo org, web."""
    from app import db_setup
    from app.services.demo import ensure_demo

    env = dict(os.environ)
    env["OUTLAY_INSTANCE"] = str(Path(env.get("OUTLAY_INSTANCE", "instance")).resolve())
    env.setdefault("OUTLAY_ENV", "development")
    env.setdefault("OUTLAY_SECURE_COOKIES", "false")  # plain HTTP on this machine

    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    with ExitStack() as stack:
        env = prepare_environment(stack, env)
        app = create_app(Config(env))
        db_setup.upgrade(app)
        with app.app_context():
            email, password = ensure_demo()
        processes = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--config",
                str(INFRA / "gunicorn.conf.py"),
                "app.wsgi:app",
            ],
        }
        children = {name: subprocess.Popen(cmd, env=env) for name, cmd in processes.items()}
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        click.echo(f"\nOutlay is running at http://{host}:{port}/")
        click.echo(f"Demo login: {email} / {password}")
        click.echo("Press Ctrl-C to stop.\n")
        try:
            while not stopping:
                if any(p.poll() is not None for p in children.values()):
                    dead = [n for n, p in children.items() if p.poll() is not None]
                    click.echo(f"Process exited: {', '.join(dead)}; stopping.", err=True)
                    break
                time.sleep(0.5)
        finally:
            for proc in children.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in children.values():
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
            click.echo("Stopped.")
