"""The API keeps to its OpenAPI schema for whatever a client sends: schemathesis generates
requests from `/api/v1/openapi.json` for every operation, as a provider's MIS and as an LA's
case system (bearer tokens), and every answer must be no server error, a status code the schema
documents for the operation, the content type it documents and a body matching its schema.

Bounded so it runs in `make test`: a few examples an operation, derandomized (the same cases
every run), no example database."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from aptrack.accounts import services as account_services
from aptrack.api.api import api

pytestmark = pytest.mark.django_db

EXAMPLES_AN_OPERATION = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def _one_connection() -> Iterator[None]:
    """Requests run in the test's transaction, as Django's test client runs them: the handler
    must not close the test's connection at each request's start and end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world: Any, _one_connection: None) -> dict[str, str]:
    """A provider's token (provider X, with Dorset's child placed there) and an LA officer's."""
    return {
        persona: account_services.issue_api_token(
            user=getattr(world, persona), name="MIS", at=timezone.now()
        )[1]
        for persona in ("provider_x", "officer_a")
    }


@pytest.mark.parametrize("persona", ["provider_x", "officer_a"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_AN_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case: Any, tokens: dict[str, str], persona: str):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {tokens[persona]}"},
        checks=CHECKS,
    )
