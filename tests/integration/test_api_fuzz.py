"""No input makes the API fail with a 500: schemathesis from the OpenAPI document, and a
hypothesis property on the transaction body (refused input writes nothing)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from tests.support.api import Api, token_for
from tests.support.factories import Factory


@pytest.fixture(scope="module")
def fuzz_app(app_factory):
    # The schemathesis WSGI client talks to "localhost"; the shared app pins outlay.test.
    return app_factory(SERVER_NAME=None)


@pytest.fixture(scope="module")
def fuzz_org(fuzz_app):
    make = Factory(fuzz_app)
    owner = make.user()
    org = make.org(owner)
    for n in range(3):
        make.transaction(org, owner, amount=f"{n + 1}.00")
    return org, token_for(fuzz_app, owner)


@pytest.mark.long
def test_no_generated_request_is_a_server_error(fuzz_app, fuzz_org):
    """Every operation of the OpenAPI document, fuzzed. (schemathesis' own pytest plugin does
    not run on pytest 9 yet, so each operation's hypothesis strategy is driven here.)"""
    org, token = fuzz_org
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case):
            if case.path_parameters and "slug" in case.path_parameters:
                case.path_parameters["slug"] = org.slug
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            case.validate_response(response, checks=[not_a_server_error])

        fuzz()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
FIELDS = ["kind", "date", "amount", "currency", "category_id", "description", "notes", "tags"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8) | json_values)
def test_any_json_body_is_saved_or_refused_never_a_500(body, fuzz_app, fuzz_org):
    org, token = fuzz_org
    api = Api(fuzz_app.test_client(), token, org.slug)
    before = len(api.get("/transactions?limit=200").get_json()["items"])
    response = api.post("/transactions", body)
    assert response.status_code in (201, 422), response.get_data(as_text=True)
    after = len(api.get("/transactions?limit=200").get_json()["items"])
    if response.status_code == 422:
        assert response.get_json()["errors"], "a refusal names the fields"
        assert after == before
    else:
        assert after == before + 1
        api.delete(f"/transactions/{response.get_json()['id']}")
