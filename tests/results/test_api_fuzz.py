"""The integration API fuzzed from its own OpenAPI schema (T-EXT-1): schemathesis loads the
schema the app serves, generates requests (well-formed and malformed) for every operation and
sends them through Django's WSGI application with a valid token, against a seeded anonymous
exam. Whatever it sends, the answer is never a server error, carries a documented status code
and content type, and matches the documented response schema."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.results.api_world import TOKEN, exam_at

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def _keep_the_test_connection():
    """Django closes "old" database connections when a request starts and ends; the test's
    transaction lives on this thread's connection, so, as Django's own test client does, the
    requests of this test leave it open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def exam(institution):
    return exam_at(institution)


# Loaded once, when the module is collected: serving openapi.json touches no database. (The
# lazy loader, schemathesis.pytest.from_fixture, does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    # The seeded exam is one fixture shared by every generated example on purpose: each request
    # adds drafts or rejected records to the same session, as a real exam system's would.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.usefixtures("_keep_the_test_connection")
def test_the_api_answers_every_request_as_documented(case, exam):
    # Aim every request at the seeded session, so that bodies reach the integration service
    # instead of stopping at "not found".
    case.path_parameters = {"session_id": str(exam.session.public_id)}
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)
