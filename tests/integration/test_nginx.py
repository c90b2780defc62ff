"""The shipped nginx config (infra/nginx.conf): unknown hosts never reach the app, and the app
gets only the forwarded headers nginx sets itself.

Read as text always; with Debian's nginx installed (/usr/sbin/nginx), also checked with
`nginx -t` and run on loopback ports in front of a recording upstream. Only the deployment's
parts are filled in for the run: a self-signed certificate, loopback ports and the upstream.
"""

from __future__ import annotations

import http.client
import http.server
import re
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.mailbox import free_port

NGINX = Path("/usr/sbin/nginx")
CONF = Path(__file__).resolve().parents[2] / "infra" / "nginx.conf"
HOST = "outlay.example.com"
needs_nginx = pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")


def server_blocks(text: str) -> list[str]:
    """The top-level `server { ... }` blocks, braces balanced."""
    blocks, depth, start = [], 0, None
    for match in re.finditer(r"server\s*\{|\{|\}", text):
        token = match.group(0)
        if token.startswith("server") and depth == 0:
            start, depth = match.start(), 1
        elif token.endswith("{"):
            depth += 1 if start is not None else 0
        elif start is not None:
            depth -= 1
            if depth == 0:
                blocks.append(text[start : match.end()])
                start = None
    return blocks


def test_unknown_hosts_get_no_answer_and_forwarded_headers_are_set_or_cleared():
    text = re.sub(r"#.*", "", CONF.read_text())
    blocks = server_blocks(text)
    default = [b for b in blocks if "default_server" in b]
    assert default, "no default server for unknown hosts"
    for block in default:
        assert "return 444" in block and "proxy_pass" not in block
    listens = {m for b in default for m in re.findall(r"listen\s+(\d+)", b)}
    assert {"80", "443"} <= listens  # plain and TLS ports both drop unknown names
    app = [b for b in blocks if "proxy_pass" in b]
    assert app and all(f"server_name {HOST}" in b for b in app)
    for block in app:
        for header in ("X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix", "Forwarded"):
            assert re.search(rf'proxy_set_header\s+{header}\s+""', block), header
        assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme", block)
        assert re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$remote_addr", block)
        assert re.search(r"proxy_set_header\s+Host\s+\$host", block)


# --- with nginx -------------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        _Recorder.seen.append({k.lower(): v for k, v in self.headers.items()})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args: object) -> None:
        pass


def _deployment(tmp_path: Path, http_port: int, https_port: int, upstream: int) -> Path:
    """infra/nginx.conf with the deployment's parts: certificate, ports, upstream, paths."""
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOST}", "-keyout", str(tmp_path / "key.pem")),
            *("-out", str(tmp_path / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    text = CONF.read_text()
    text = text.replace(
        "# ssl_certificate / ssl_certificate_key: provided by the deployment.",
        f"ssl_certificate {tmp_path}/cert.pem; ssl_certificate_key {tmp_path}/key.pem;",
    )
    text = re.sub(r"listen 443 ", f"listen 127.0.0.1:{https_port} ", text)
    text = re.sub(r"listen 80\b", f"listen 127.0.0.1:{http_port}", text)
    text = text.replace("server 127.0.0.1:5000;", f"server 127.0.0.1:{upstream};")
    (tmp_path / "outlay.conf").write_text(text)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; {temp} uwsgi_temp_path {tmp_path}/u; scgi_temp_path "
        f"{tmp_path}/s; include {tmp_path}/outlay.conf; }}\n"
    )
    return main


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[int, int]]:
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    main = _deployment(tmp_path, http_port, https_port, upstream.server_port)
    check = subprocess.run(
        [str(NGINX), "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [str(NGINX), "-c", str(main), "-p", str(tmp_path), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        _Recorder.seen.clear()
        yield http_port, https_port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        upstream.shutdown()


def _https_get(port: int, host: str, headers: dict[str, str]) -> int:
    """GET /login over TLS with `host` as the TLS name (SNI) and Host, as a browser sends it."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.sock = context.wrap_socket(
        socket.create_connection(("127.0.0.1", port), timeout=5), server_hostname=host
    )
    conn.request("GET", "/login", headers={"Host": host, **headers})
    return conn.getresponse().status


@needs_nginx
def test_nginx_accepts_the_config_and_refuses_unknown_hosts(nginx):
    http_port, https_port = nginx

    # Plain HTTP with a foreign Host: the connection closes without any answer (444).
    conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
    conn.request("GET", "/reset", headers={"Host": "evil.example"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    # Our name on plain HTTP is sent to HTTPS.
    conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
    conn.request("GET", "/login", headers={"Host": HOST})
    moved = conn.getresponse()
    assert moved.status == 301 and moved.getheader("Location") == f"https://{HOST}/login"

    # TLS for a foreign name is refused in the handshake; nothing reaches the app.
    with pytest.raises((ssl.SSLError, ConnectionError)):
        _https_get(https_port, "evil.example", {})
    assert _Recorder.seen == []

    # Our name: the app gets Host and the forwarded headers nginx set, none the client forged.
    status = _https_get(
        https_port,
        HOST,
        {
            "X-Forwarded-Host": "evil.example",
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "http",
            "Forwarded": "host=evil.example",
            "X-Forwarded-Prefix": "/evil",
        },
    )
    assert status == 200
    [seen] = _Recorder.seen
    assert seen["host"] == HOST
    assert seen["x-forwarded-proto"] == "https"
    assert seen["x-forwarded-for"] == "127.0.0.1"
    for cleared in ("x-forwarded-host", "forwarded", "x-forwarded-prefix", "x-forwarded-port"):
        assert cleared not in seen, cleared
