"""The WSGI entry point for gunicorn: `gunicorn app.wsgi:app`."""

import os

from app import create_app
from app.web.proxy import trust_proxies

# Behind nginx, the client's address and scheme arrive in X-Forwarded-For/Proto; trust exactly
# as many proxies as the deployment has, so rate limits key on the real client and not on nginx.
app = trust_proxies(create_app(), int(os.environ.get("OUTLAY_TRUSTED_PROXIES", "0")))
