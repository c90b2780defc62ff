"""Fixtures the integration tests share beyond tests/conftest.py's."""

import pytest
from redis import Redis
from rq import Queue

from app.jobs import QUEUES
from tests.support.api import owner_api  # noqa: F401 (a fixture: an owner, their org, an Api)
from tests.support.web import owner_session  # noqa: F401 (a fixture: the owner signed in)
from tests.support.wire import wire  # noqa: F401 (a fixture: a proxy counting what the app sends)


@pytest.fixture(autouse=True)
def _empty_queues(request: pytest.FixtureRequest) -> None:
    """Each test starts with the session app's queues empty: a test that works its queue
    (`tests.support.jobs.run_jobs`) runs its own jobs, not every job earlier tests left there
    (a receipt reading each: Tesseract made one test take minutes)."""
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    if not app.config.get("REDIS_URL"):
        return
    redis = Redis.from_url(app.config["REDIS_URL"])
    prefix = app.config["OUTLAY_QUEUE_PREFIX"]
    for name in QUEUES:
        Queue(prefix + name, connection=redis).empty()
