"""Behind nginx: which X-Forwarded-* headers the app believes.

Only the client's address (rate limits key on it) and the scheme (Secure cookies, HSTS) are
taken from the proxy. X-Forwarded-Host, -Port and -Prefix are never trusted: the Host nginx
passes is the one it matched (infra/nginx.conf), and links in mail come from
`OUTLAY_BASE_URL` (app/links.py), so a client-sent header can change neither.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask, proxies: int) -> Flask:
    """Believe X-Forwarded-For/Proto from exactly `proxies` proxies in front (0: none)."""
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0
        )
    return app
