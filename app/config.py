"""Settings from the environment, in one class.

`Config()` reads `os.environ`; tests and the CLI pass overrides. Flask reads the upper-case
attributes with `app.config.from_object(config)`.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url


def _aware_utcnow() -> datetime:
    from app import clock  # the one clock (freezable in tests); config loads before app modules

    return clock.now()


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def derive_role_url(owner_url: str, role: str, explicit: str | None = None) -> str:
    """The URL for `role` on the owner's server and database, unless one is given."""
    if explicit:
        return explicit
    url = make_url(owner_url)._replace(username=role, password=None)
    return url.render_as_string(hide_password=False)


def sqlalchemy_url(url: str) -> str:
    """psycopg2 is the driver; accept the plain `postgresql://` spelling too."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed.render_as_string(hide_password=False)


def limiter_storage(redis_url: str) -> str:
    """Flask-Limiter names a unix-socket Redis `redis+unix://`."""
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")
    return redis_url


def external_base_url(explicit: str, server_name: str | None, scheme: str) -> str:
    """The one origin every link in mail starts with (OUTLAY_BASE_URL; else SERVER_NAME)."""
    url = (explicit or "").strip().rstrip("/")
    if not url:
        url = f"{scheme}://{server_name}" if server_name else "http://localhost:5000"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(
            f"OUTLAY_BASE_URL must be an http(s) URL with a host and no query, not {url!r}"
        )
    return url


def trusted_hosts(base_url: str, extra: list[str], server_name: str | None) -> list[str]:
    """The Host names the app answers: the base URL's, SERVER_NAME's and the extra ones."""
    hosts = [urlsplit(base_url).hostname or ""]
    if server_name:
        hosts.append(urlsplit(f"//{server_name}").hostname or "")
    hosts += [h.strip().lower() for h in extra if h.strip()]
    return list(dict.fromkeys(h for h in hosts if h))  # never empty: empty means "any host"


def load_or_create_secret(instance: Path) -> str:
    """A secret kept in the instance folder, created on first start, never committed."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    """Every setting the app reads. README lists each environment variable."""

    def __init__(self, environ: dict[str, str] | None = None, **overrides: Any) -> None:
        env = dict(os.environ if environ is None else environ)
        self.OUTLAY_INSTANCE = Path(env.get("OUTLAY_INSTANCE", "instance")).resolve()
        self.OUTLAY_ENV = env.get("OUTLAY_ENV", "production")

        self.DATABASE_URL = env.get("DATABASE_URL", "")
        self.APP_DATABASE_URL = env.get("APP_DATABASE_URL", "")
        self.OUTLAY_ADMIN_DATABASE_URL = env.get("OUTLAY_ADMIN_DATABASE_URL", "")
        self.REDIS_URL = env.get("REDIS_URL", "")
        # Prefixes the RQ queue names, so several apps (parallel test runs) share one Redis.
        self.OUTLAY_QUEUE_PREFIX = env.get("OUTLAY_QUEUE_PREFIX", "")
        # Days an org scheduled for deletion stays recoverable (at least 1: the database says so).
        self.OUTLAY_ORG_DELETION_GRACE_DAYS = max(
            1, int(env.get("OUTLAY_ORG_DELETION_GRACE_DAYS", "14"))
        )
        # The ECB feeds the daily rates job reads, comma-separated.
        self.OUTLAY_ECB_URLS = [
            url.strip()
            for url in env.get(
                "OUTLAY_ECB_URLS",
                "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml,"
                "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml",
            ).split(",")
            if url.strip()
        ]

        self.SECRET_KEY = env.get("SECRET_KEY") or ""
        self.SECURITY_PASSWORD_SALT = env.get("SECURITY_PASSWORD_SALT", "")
        self.SECURITY_TOTP_SECRET = env.get("SECURITY_TOTP_SECRET", "")

        self.MAIL_SERVER = env.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(env.get("MAIL_PORT", "25"))
        self.MAIL_USE_TLS = _flag(env.get("MAIL_USE_TLS"), False)
        self.MAIL_USE_SSL = _flag(env.get("MAIL_USE_SSL"), False)
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
        self.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER", "Outlay <no-reply@outlay.local>")

        # Secure cookies need HTTPS; `outlay up` serves plain HTTP on localhost and turns it off.
        self.OUTLAY_SECURE_COOKIES = _flag(env.get("OUTLAY_SECURE_COOKIES"), True)
        self.RATELIMIT_LOGIN = env.get("RATELIMIT_LOGIN", "10 per minute")
        self.RATELIMIT_LOGIN_ACCOUNT = env.get("RATELIMIT_LOGIN_ACCOUNT", "5 per minute")
        self.RATELIMIT_MAIL_ADDRESS = env.get("RATELIMIT_MAIL_ADDRESS", "5 per hour")
        # Wrong two-factor codes: per account, and per half-login (which then ends).
        self.RATELIMIT_TWO_FACTOR_ACCOUNT = env.get("RATELIMIT_TWO_FACTOR_ACCOUNT", "10 per hour")
        self.RATELIMIT_TWO_FACTOR_SESSION = env.get("RATELIMIT_TWO_FACTOR_SESSION", "5 per hour")
        # A signed-in session unused this long ends (and the remember cookie lasts as long).
        self.OUTLAY_SESSION_MAX_IDLE = timedelta(
            days=int(env.get("OUTLAY_SESSION_MAX_IDLE_DAYS", "30"))
        )
        self.INVITATION_MAX_AGE_DAYS = int(env.get("INVITATION_MAX_AGE_DAYS", "7"))
        # Exports (docs/exports.md): above this many rows (a PDF: above the second) an export
        # runs as a job; its download link works this many days; files are kept in this folder.
        self.OUTLAY_EXPORT_INLINE_MAX_ROWS = int(env.get("OUTLAY_EXPORT_INLINE_MAX_ROWS", "50000"))
        self.OUTLAY_EXPORT_PDF_MAX_ROWS = int(env.get("OUTLAY_EXPORT_PDF_MAX_ROWS", "2000"))
        self.OUTLAY_EXPORT_LINK_DAYS = int(env.get("OUTLAY_EXPORT_LINK_DAYS", "7"))
        self.OUTLAY_EXPORTS_DIR = Path(
            env.get("OUTLAY_EXPORTS_DIR") or self.OUTLAY_INSTANCE / "exports"
        ).resolve()
        # The analytics portal's base URL as the browser sees it: a path on this origin behind
        # nginx, or an absolute URL (`outlay up`: the portal's own port on this machine).
        self.OUTLAY_PORTAL_URL = env.get("OUTLAY_PORTAL_URL", "/portal").rstrip("/") or "/portal"
        # Mail links: every link in every mail starts with this public origin, never with the
        # Host of a request (docs/mail.md). Requests for other hosts are refused (400), except
        # the comma-separated OUTLAY_TRUSTED_HOSTS (e.g. a health check's `localhost`).
        self.OUTLAY_BASE_URL = env.get("OUTLAY_BASE_URL", "")
        self.OUTLAY_TRUSTED_HOSTS = env.get("OUTLAY_TRUSTED_HOSTS", "").split(",")
        self.OUTLAY_RECEIPT_MAX_BYTES = int(env.get("OUTLAY_RECEIPT_MAX_BYTES", 10 * 1024 * 1024))
        # Archive imports (docs/exports.md): the upload's size, and what it may unpack to.
        self.OUTLAY_ARCHIVE_MAX_BYTES = int(env.get("OUTLAY_ARCHIVE_MAX_BYTES", 500 * 1024 * 1024))
        self.OUTLAY_ARCHIVE_MAX_EXPANDED = int(env.get("OUTLAY_ARCHIVE_MAX_EXPANDED", 5 * 1024**3))
        self.OUTLAY_FILES_DIR = env.get("OUTLAY_FILES_DIR", "")
        # Receipts on an S3-compatible store instead of the folder, when a bucket is named.
        self.OUTLAY_RECEIPTS_S3_BUCKET = env.get("OUTLAY_RECEIPTS_S3_BUCKET", "")
        self.OUTLAY_RECEIPTS_S3 = {
            "endpoint": env.get("OUTLAY_RECEIPTS_S3_ENDPOINT", ""),
            "region": env.get("OUTLAY_RECEIPTS_S3_REGION", ""),
            "access_key": env.get("OUTLAY_RECEIPTS_S3_ACCESS_KEY", ""),
            "secret_key": env.get("OUTLAY_RECEIPTS_S3_SECRET_KEY", ""),
        }
        # Deleted transactions stay restorable in the trash this many days (docs/ledger.md).
        self.OUTLAY_TRASH_DAYS = max(1, int(env.get("OUTLAY_TRASH_DAYS", "30")))

        for key, value in overrides.items():
            setattr(self, key, value)
        self._derive()

    def _derive(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = load_or_create_secret(self.OUTLAY_INSTANCE)
        if not self.SECURITY_PASSWORD_SALT:
            self.SECURITY_PASSWORD_SALT = self.SECRET_KEY[:24]
        if not self.SECURITY_TOTP_SECRET:
            self.SECURITY_TOTP_SECRET = self.SECRET_KEY[-32:]

        if self.DATABASE_URL:
            self.APP_DATABASE_URL = derive_role_url(
                self.DATABASE_URL, "outlay_app", self.APP_DATABASE_URL
            )
            self.OUTLAY_ADMIN_DATABASE_URL = derive_role_url(
                self.DATABASE_URL, "outlay_admin", self.OUTLAY_ADMIN_DATABASE_URL
            )
        runtime = self.APP_DATABASE_URL or "postgresql+psycopg2://outlay_app@/outlay"
        self.SQLALCHEMY_DATABASE_URI = sqlalchemy_url(runtime)
        # No ping per checkout (a round trip per request): app/db_pool.py notices a connection
        # the server closed by its socket, and connections are renewed every half hour. No
        # second rollback on return: the session's close has rolled back already, and
        # app/db_pool.py rolls back any connection that comes back still in a transaction.
        self.SQLALCHEMY_ENGINE_OPTIONS = getattr(
            self,
            "SQLALCHEMY_ENGINE_OPTIONS",
            {"pool_pre_ping": False, "pool_recycle": 1800, "pool_reset_on_return": None},
        )
        self.SQLALCHEMY_TRACK_MODIFICATIONS = False

        self.MAIL_SUPPRESS_SEND = not self.MAIL_SERVER
        self.OUTLAY_OUTBOX = self.OUTLAY_INSTANCE / "outbox"

        self.RATELIMIT_STORAGE_URI = limiter_storage(self.REDIS_URL)
        # Redis down: every limiter (the shared one and the login throttles) fails open to the
        # same limits counted in this process's memory, with a logged warning, and goes back
        # to Redis when it answers again; any other limiter error is logged, never a 500.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_KEY_PREFIX = getattr(self, "RATELIMIT_KEY_PREFIX", "outlay")

        self.SESSION_COOKIE_SECURE = self.OUTLAY_SECURE_COOKIES
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.OUTLAY_SECURE_COOKIES
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_DURATION = self.OUTLAY_SESSION_MAX_IDLE
        self.PREFERRED_URL_SCHEME = "https" if self.OUTLAY_SECURE_COOKIES else "http"
        server_name = getattr(self, "SERVER_NAME", None)
        self.OUTLAY_BASE_URL = external_base_url(
            self.OUTLAY_BASE_URL, server_name, self.PREFERRED_URL_SCHEME
        )
        extra = self.OUTLAY_TRUSTED_HOSTS
        extra = extra.split(",") if isinstance(extra, str) else list(extra)
        self.TRUSTED_HOSTS = trusted_hosts(self.OUTLAY_BASE_URL, extra, server_name)
        # Receipts (docs/approvals.md): the size limit per file, and the local storage folder.
        self.OUTLAY_FILES_DIR = Path(self.OUTLAY_FILES_DIR or self.OUTLAY_INSTANCE / "files")
        # No request body is larger than one receipt at the limit plus its form fields: werkzeug
        # stops reading there (413), before any view or the input guard sees the body.
        self.MAX_CONTENT_LENGTH = self.OUTLAY_RECEIPT_MAX_BYTES + 65536

        self.WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
        self.BOOTSTRAP_SERVE_LOCAL = True

        self.SECURITY_PASSWORD_HASH = "argon2"  # noqa: S105  (an algorithm name)
        self.SECURITY_REGISTERABLE = True
        self.SECURITY_CONFIRMABLE = True
        self.SECURITY_RECOVERABLE = True
        self.SECURITY_CHANGEABLE = True
        self.SECURITY_CHANGE_EMAIL = True
        self.SECURITY_TRACKABLE = True
        self.SECURITY_TWO_FACTOR = True
        self.SECURITY_TWO_FACTOR_REQUIRED = False
        self.SECURITY_TWO_FACTOR_ENABLED_METHODS = ["authenticator"]
        self.SECURITY_TWO_FACTOR_RESCUE_EMAIL = False
        self.SECURITY_TOTP_SECRETS = {"1": self.SECURITY_TOTP_SECRET}
        self.SECURITY_TOTP_ISSUER = "Outlay"
        self.SECURITY_RETURN_GENERIC_RESPONSES = True
        self.SECURITY_LOGOUT_METHODS = ["POST"]
        self.SECURITY_TOKEN_MAX_AGE = timedelta(hours=1)
        self.SECURITY_POST_LOGIN_VIEW = "/"
        self.SECURITY_POST_REGISTER_VIEW = "/"
        self.SECURITY_EMAIL_SENDER = self.MAIL_DEFAULT_SENDER
        self.SECURITY_DATETIME_FACTORY = _aware_utcnow
        self.SECURITY_USE_REGISTER_V2 = True
        self.SECURITY_PASSWORD_CONFIRM_REQUIRED = True
        self.SECURITY_PASSWORD_LENGTH_MIN = 10
        # zxcvbn's guessability score (0-4); 3 refuses dictionary words, repeats and sequences.
        self.SECURITY_PASSWORD_COMPLEXITY_CHECKER = "zxcvbn"  # noqa: S105  (a checker name)
        self.SECURITY_ZXCVBN_MINIMUM_SCORE = 3
        self.SECURITY_MSG_PASSWORD_TOO_SIMPLE = (
            "This password is too easy to guess: use a few unrelated words or more characters.",
            "error",
        )
        # The web accepts only its revocable session (app/web/sessions.py); no auth tokens.
        self.SECURITY_API_ENABLED_METHODS = ["session"]
        self.SECURITY_MULTI_FACTOR_RECOVERY_CODES = True
        self.SECURITY_MULTI_FACTOR_RECOVERY_CODES_N = 8
        # Syntax only: the confirmation mail proves an address works, and a DNS lookup per
        # sign-up would reject every address on a machine without a resolver (`outlay up`).
        self.SECURITY_EMAIL_VALIDATOR_ARGS = {"check_deliverability": False}
        # CSRFProtect checks every POST (forms and JSON) before any view runs; the later
        # token-authenticated API exempts its own blueprint explicitly.
        self.WTF_CSRF_CHECK_DEFAULT = True
        self.SECURITY_MSG_LOGIN = ("Please log in to open this page.", "info")
        # Flask-Security's own header renders as "private=True" under Werkzeug 3.1; the
        # headers module sets a well-formed Cache-Control on every page instead.
        self.SECURITY_CACHE_CONTROL = {}
