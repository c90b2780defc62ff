"""Configuration comes from the environment, with safe derivations."""

from app.config import Config, derive_role_url, limiter_storage


def test_runtime_urls_are_derived_from_the_owner_url(tmp_path):
    config = Config(
        {
            "DATABASE_URL": "postgresql://owner:secret@db.example:5432/outlay",
            "OUTLAY_INSTANCE": str(tmp_path),
        }
    )
    assert config.APP_DATABASE_URL == "postgresql://outlay_app@db.example:5432/outlay"
    assert config.OUTLAY_ADMIN_DATABASE_URL == "postgresql://outlay_admin@db.example:5432/outlay"
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg2://outlay_app@")


def test_explicit_runtime_url_wins(tmp_path):
    config = Config(
        {
            "DATABASE_URL": "postgresql://owner@h/db",
            "APP_DATABASE_URL": "postgresql://app:pw@h/db",
            "OUTLAY_INSTANCE": str(tmp_path),
        }
    )
    assert config.APP_DATABASE_URL == "postgresql://app:pw@h/db"
    assert derive_role_url("postgresql://o@h/d", "x", "postgresql://y@h/d") == "postgresql://y@h/d"


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = Config({"OUTLAY_INSTANCE": str(tmp_path)}).SECRET_KEY
    second = Config({"OUTLAY_INSTANCE": str(tmp_path)}).SECRET_KEY
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_cookies_are_secure_by_default(tmp_path):
    config = Config({"OUTLAY_INSTANCE": str(tmp_path)})
    assert config.SESSION_COOKIE_SECURE and config.SESSION_COOKIE_HTTPONLY
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.SECURITY_RETURN_GENERIC_RESPONSES
    assert config.SECURITY_LOGOUT_METHODS == ["POST"]
    assert config.SECURITY_PASSWORD_HASH == "argon2"


def test_limiter_reaches_unix_socket_redis():
    assert limiter_storage("unix:///tmp/r.sock") == "redis+unix:///tmp/r.sock"
    assert limiter_storage("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_receipts_go_to_s3_only_when_a_bucket_is_named_and_the_trash_keeps_30_days(tmp_path):
    plain = Config({"OUTLAY_INSTANCE": str(tmp_path)})
    assert plain.OUTLAY_RECEIPTS_S3_BUCKET == "" and plain.OUTLAY_TRASH_DAYS == 30
    s3 = Config(
        {
            "OUTLAY_INSTANCE": str(tmp_path),
            "OUTLAY_RECEIPTS_S3_BUCKET": "receipts",
            "OUTLAY_RECEIPTS_S3_ENDPOINT": "https://s3.example",
            "OUTLAY_RECEIPTS_S3_ACCESS_KEY": "key",
            "OUTLAY_TRASH_DAYS": "0",
        }
    )
    assert s3.OUTLAY_RECEIPTS_S3_BUCKET == "receipts"
    assert s3.OUTLAY_RECEIPTS_S3["endpoint"] == "https://s3.example"
    assert s3.OUTLAY_RECEIPTS_S3["access_key"] == "key" and s3.OUTLAY_RECEIPTS_S3["region"] == ""
    assert s3.OUTLAY_TRASH_DAYS == 1  # at least a day: a deletion is never final at once
