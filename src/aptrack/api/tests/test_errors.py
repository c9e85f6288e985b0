"""The API answers every endpoint's refusals the same way, through handlers registered once."""

import ast
import json
from pathlib import Path

import pytest
from django.test import RequestFactory

from aptrack.api.api import api
from aptrack.api.errors import invalid_body
from aptrack.children.services import ChildInvalid
from aptrack.core.concurrency import RecordChangedElsewhere
from aptrack.core.errors import DomainConflict, DomainForbidden, DomainInvalid, DomainNotFound
from aptrack.referrals.services import ReferralInvalid, ReferralNotReady

API = Path(__file__).resolve().parents[1]


def _answer(error):
    response = api.on_exception(RequestFactory().get("/api/v1/"), error)
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainForbidden("Your role cannot add children"), 403),
        (DomainNotFound("No child found"), 404),
        (DomainConflict("This referral is submitted, so it cannot be submitted."), 409),
        (RecordChangedElsewhere(), 409),
    ],
)
def test_a_refusal_answers_its_status_with_its_message(error, status):
    assert _answer(error) == (status, {"detail": str(error)})


def test_refused_input_answers_400_with_the_errors_by_field():
    error = ChildInvalid({"upn": ["The UPN is in use"], None: ["Check the child's details"]})
    assert _answer(error) == (
        400,
        {
            "detail": "The child's details were not accepted",
            "errors": {"upn": ["The UPN is in use"], "record": ["Check the child's details"]},
        },
    )


def test_each_app_names_its_refusals_and_the_closest_naming_applies():
    assert (
        invalid_body(ReferralInvalid({None: ["No"]}))["detail"] == "The referral was not accepted"
    )
    not_ready = invalid_body(ReferralNotReady({"consent_given": ["Record consent"]}))
    assert not_ready == {
        "detail": "The referral is not ready to submit",
        "errors": {"consent_given": ["Record consent"]},
    }
    assert invalid_body(DomainInvalid("No")) == {
        "detail": "The request was not accepted",
        "errors": {"record": ["No"]},
    }


def test_no_endpoint_catches_a_refusal_itself():
    """The handlers in `api.errors` answer them; an endpoint calls its service and lets them rise."""
    ladders = []
    for path in API.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = ast.unparse(node.type)
                if any(word in caught for word in ("Invalid", "NotAllowed", "Elsewhere")):
                    ladders.append(f"{path.name}:{node.lineno} {caught}")
    assert ladders == []
