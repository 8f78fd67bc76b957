"""The API fuzzed from its own OpenAPI document (issue 7, "Bad input, tried systematically").

Schemathesis generates requests for every operation in /api/v1/openapi.json and sends them to
Django's WSGI application in-process, as the standing office of ward A; no answer may be a 500,
and every status answered must be one the document declares for that operation.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.api.helpers import BASE
from theodoi.api.models import ApiToken

# pytest-django has configured Django before collection; the schema itself needs no database.
schema = schemathesis.openapi.from_wsgi(f"{BASE}/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_test_transaction():
    # The WSGI handler closes "old" connections around each request, which would end the test's
    # transaction; Django's own test client switches this off the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def office_token(world):
    _, raw = ApiToken.create_for(world.people.office, "fuzz")
    return raw


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case, office_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {office_token}"},
        checks=[not_a_server_error, status_code_conformance],
    )
