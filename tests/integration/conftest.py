"""Fixtures the integration tests share beyond tests/conftest.py's."""

from tests.support.api import owner_api  # noqa: F401 (a fixture: an owner, their org, an Api)
from tests.support.web import owner_session  # noqa: F401 (a fixture: the owner signed in)
