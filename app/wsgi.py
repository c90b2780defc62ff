"""The WSGI entry point for gunicorn: `gunicorn app.wsgi:app`."""

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app

app = create_app()

# Behind nginx, the client's address and scheme arrive in X-Forwarded-*; trust exactly as many
# proxies as the deployment has, so rate limits key on the real client and not on nginx.
if proxies := int(os.environ.get("OUTLAY_TRUSTED_PROXIES", "0")):
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
