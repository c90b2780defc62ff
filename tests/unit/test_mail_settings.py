"""The base URL for mail links, the hosts the app answers, `outlay up`'s settings, the dev
outbox's file modes, and services that never touch the request."""

from __future__ import annotations

import ast
import stat
from pathlib import Path

import pytest

from app import create_app
from app.cli import up_environment
from app.config import Config

ROOT = Path(__file__).resolve().parents[2]
SECRET = {"SECRET_KEY": "unit-" + "x" * 40}


def config(tmp_path: Path, **env: str) -> Config:
    return Config({"OUTLAY_INSTANCE": str(tmp_path), **SECRET, **env})


def test_the_base_url_is_the_one_origin_of_external_links(tmp_path):
    app = create_app(config(tmp_path, OUTLAY_BASE_URL="https://books.example.com/outlay/"))
    assert app.config["OUTLAY_BASE_URL"] == "https://books.example.com/outlay"
    assert app.config["TRUSTED_HOSTS"] == ["books.example.com"]
    with app.app_context():
        from flask import url_for

        assert url_for("security.forgot_password", _external=True) == (
            "https://books.example.com/outlay/reset"
        )
    # Inside a request for another (trusted) host, external links still use the base URL.
    app.config["TRUSTED_HOSTS"].append("internal.example")
    with app.test_request_context("/", base_url="http://internal.example"):
        from flask import url_for

        assert url_for("security.login", _external=True).startswith("https://books.example.com/")
        assert url_for("security.login", _scheme="http", _external=True).startswith("https://")
        assert url_for("security.login") == "/login"


def test_extra_hosts_and_server_name_are_trusted_and_nothing_means_localhost(tmp_path):
    both = config(
        tmp_path,
        OUTLAY_BASE_URL="https://a.example",
        OUTLAY_TRUSTED_HOSTS=" localhost , B.example ,",
    )
    assert both.TRUSTED_HOSTS == ["a.example", "localhost", "b.example"]
    tests = Config({"OUTLAY_INSTANCE": str(tmp_path), **SECRET}, SERVER_NAME="outlay.test")
    assert tests.OUTLAY_BASE_URL == "https://outlay.test"
    assert tests.TRUSTED_HOSTS == ["outlay.test"]
    nothing = config(tmp_path)
    assert nothing.OUTLAY_BASE_URL == "http://localhost:5000"
    assert nothing.TRUSTED_HOSTS == ["localhost"]  # never empty (empty would trust any host)


@pytest.mark.parametrize("bad", ["outlay.example.com", "ftp://x.example", "https://x.example/?a=1"])
def test_a_malformed_base_url_is_refused_at_start(tmp_path, bad):
    with pytest.raises(ValueError, match="OUTLAY_BASE_URL"):
        config(tmp_path, OUTLAY_BASE_URL=bad)


def test_outlay_up_points_mail_links_at_its_own_host_and_port(tmp_path):
    env = up_environment({"OUTLAY_INSTANCE": str(tmp_path)}, "0.0.0.0", 5123)  # noqa: S104
    assert env["OUTLAY_BASE_URL"] == "http://127.0.0.1:5123"
    worker = Config({**env, **SECRET})  # the worker and web processes read the same env
    assert worker.OUTLAY_BASE_URL == "http://127.0.0.1:5123"
    assert {"127.0.0.1", "localhost"} <= set(worker.TRUSTED_HOSTS)
    assert up_environment({}, "192.0.2.7", 8000)["OUTLAY_BASE_URL"] == "http://192.0.2.7:8000"
    mine = up_environment({"OUTLAY_BASE_URL": "https://tunnel.example"}, "127.0.0.1", 5000)
    assert mine["OUTLAY_BASE_URL"] == "https://tunnel.example"  # an explicit setting wins


def test_development_mail_files_are_readable_by_their_owner_only(tmp_path):
    app = create_app(config(tmp_path))  # no MAIL_SERVER: mail goes to the outbox
    from app.services.platform import mailer

    with app.app_context():
        mailer.send("someone@example.com", "Reset", "https://x.example/reset/secret")
        mailer.send("someone@example.com", "Reset", "https://x.example/reset/secret")
        files = mailer.outbox_messages()
    assert len(files) == 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700


def test_a_reader_of_the_outbox_never_sees_a_mail_half_written(tmp_path):
    """`outlay up`'s worker writes mail while people (and the up test) read the outbox: a file
    named *.eml is whole from the moment it can be seen."""
    import email
    import email.policy
    import threading

    app = create_app(config(tmp_path))
    from app.services.platform import mailer

    body = "https://x.example/reset/secret\n" + "x" * 500_000
    seen: dict[str, int] = {}
    done = threading.Event()

    def read_all() -> None:
        outbox = tmp_path / "outbox"
        while not done.is_set():
            for path in outbox.glob("*.eml"):
                try:
                    raw = path.read_bytes()
                except FileNotFoundError:
                    continue
                message = email.message_from_bytes(raw, policy=email.policy.default)
                text = message.get_body(preferencelist=("plain",))
                got = len(text.get_content()) if text is not None else 0
                seen[path.name] = min(seen.get(path.name, got), got)

    reader = threading.Thread(target=read_all)
    reader.start()
    try:
        with app.app_context():
            for _ in range(10):
                mailer.send("someone@example.com", "Reset", body)
    finally:
        done.set()
        reader.join()
    assert len(mailer_files := sorted((tmp_path / "outbox").glob("*"))) == 10, mailer_files
    assert seen and min(seen.values()) >= len(body), "a reader saw a mail half written"


REQUEST_BOUND = {
    "flask": {"url_for", "render_template", "render_template_string", "request", "g", "session"},
    "flask_login": {"current_user"},
    "flask_security": {"current_user"},
}


def request_bound_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in REQUEST_BOUND:
            found += [
                f"{node.module}.{a.name}"
                for a in node.names
                if a.name in REQUEST_BOUND[node.module]
            ]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "flask"
            and node.attr in REQUEST_BOUND["flask"]
        ):
            found.append(f"flask.{node.attr}")
    return found


def test_services_never_use_the_request():
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in sorted((ROOT / "app" / "services").rglob("*.py"))
        if (names := request_bound_imports(path.read_text()))
    }
    assert offenders == {}


def test_the_request_check_catches_what_it_looks_for():
    assert request_bound_imports("from flask import url_for, current_app") == ["flask.url_for"]
    assert request_bound_imports("import flask\nflask.request.form") == ["flask.request"]
    assert request_bound_imports("def f():\n    from flask import g") == ["flask.g"]
