"""A counting proxy between the app and PostgreSQL: every round trip, as the server sees it.

psycopg2 speaks PostgreSQL's simple query protocol: each statement, the driver's own `BEGIN`
and `ROLLBACK`, and a pool's pre-ping are one `Query` message each, answered before the next
is sent. So the `Query` messages a request sends are its round trips, including the ones no
SQLAlchemy event sees. The proxy forwards bytes unchanged and records the text of each.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from sqlalchemy.engine import make_url

SSL_REQUEST, GSS_REQUEST = 80877103, 80877104


def _upstream(url: str) -> socket.socket:
    parsed = make_url(url)
    host = parsed.query.get("host") or parsed.host or "localhost"
    port = parsed.port or 5432
    if isinstance(host, tuple):
        host = host[0]
    if host.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(f"{host}/.s.PGSQL.{port}")
        return sock
    return socket.create_connection((host, port))


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _read(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError
        data += chunk
    return data


class WireCounter:
    """`with WireCounter(server_url) as proxy:` — connect to `proxy.url_for(role_url)`."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.queries: list[str] = []
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._closed = False

    def url_for(self, role_url: str) -> str:
        """`role_url` (same server) through the proxy, in plain text so it can be read."""
        url = make_url(role_url).set(host="127.0.0.1", port=self.port)
        query = {k: v for k, v in url.query.items() if k != "host"}
        query.update(sslmode="disable", gssencmode="disable")
        return url.set(query=query).render_as_string(hide_password=False)

    def clear(self) -> None:
        with self._lock:
            self.queries.clear()

    def taken(self) -> list[str]:
        with self._lock:
            return [" ".join(q.split()) for q in self.queries]

    def _client_to_server(self, client: socket.socket, server: socket.socket) -> None:
        try:
            while True:  # startup: length-prefixed, no type byte; SSL/GSS requests come first
                (length,) = struct.unpack("!I", _read(client, 4))
                body = _read(client, length - 4)
                server.sendall(struct.pack("!I", length) + body)
                if struct.unpack("!I", body[:4])[0] not in (SSL_REQUEST, GSS_REQUEST):
                    break
            while True:
                kind = _read(client, 1)
                (length,) = struct.unpack("!I", _read(client, 4))
                body = _read(client, length - 4)
                if kind == b"Q":
                    with self._lock:
                        self.queries.append(body.rstrip(b"\0").decode("utf-8", "replace"))
                server.sendall(kind + struct.pack("!I", length) + body)
        except (ConnectionError, OSError):
            pass
        finally:
            _close(client, server)

    @staticmethod
    def _server_to_client(server: socket.socket, client: socket.socket) -> None:
        try:
            while chunk := server.recv(65536):
                client.sendall(chunk)
        except OSError:
            pass
        finally:
            _close(client, server)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = _upstream(self.server_url)
            for target, args in (
                (self._client_to_server, (client, server)),
                (self._server_to_client, (server, client)),
            ):
                threading.Thread(target=target, args=args, daemon=True).start()

    def __enter__(self) -> WireCounter:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._closed = True
        self._listener.close()


@contextmanager
def counting(server_url: str) -> Iterator[WireCounter]:
    with WireCounter(server_url) as proxy:
        yield proxy


# One pooled connection, so consecutive requests are known to share it.
ONE_CONNECTION = {"pool_size": 1, "max_overflow": 0, "pool_recycle": 1800}


@pytest.fixture
def wire(owner_url: str) -> Iterator[WireCounter]:
    """A proxy in front of the test database that counts what the app sends it."""
    with WireCounter(owner_url) as proxy:
        yield proxy


def app_through(app_factory: Any, owner_url: str, wire: WireCounter, **overrides: Any) -> Any:
    """An app whose runtime role connects through `wire`."""
    from app.config import derive_role_url

    role_url = wire.url_for(derive_role_url(owner_url, "outlay_app"))
    return app_factory(APP_DATABASE_URL=role_url, **overrides)
