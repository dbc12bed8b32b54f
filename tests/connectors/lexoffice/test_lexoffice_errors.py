"""The status → exception table and lexoffice's error bodies, without I/O."""

from __future__ import annotations

import json

import pytest

from connectors.lexoffice.errors import (
    STATUS_ERRORS,
    CredentialsError,
    LexofficeError,
    NotFoundError,
    OutcomeUnknownError,
    PaymentRequiredError,
    RateLimitedError,
    RequestError,
    ServerError,
    ValidationError,
    VersionConflictError,
    error_class_for,
    error_for_response,
    resource_id_from,
)
from connectors.lexoffice.models import ErrorDetail

CONTACT_ID = "be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9"

LEGACY_406 = {
    "IssueList": [
        {"i18nKey": "missing_entity", "source": "company.name", "type": "validation_failure"}
    ]
}
REGULAR_406 = {
    "timestamp": "2017-05-11T17:12:31.233+02:00",
    "status": 406,
    "error": "Not Acceptable",
    "path": "/v1/invoices",
    "traceId": "90d78d0777be",
    "message": "Validation failed for request.",
    "details": [
        {
            "violation": "NOTNULL",
            "field": "lineItems[0].unitPrice.taxRatePercentage",
            "message": "darf nicht leer sein",
        }
    ],
}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, ValidationError),
        (401, CredentialsError),
        (402, PaymentRequiredError),
        (403, CredentialsError),
        (404, NotFoundError),
        (406, ValidationError),
        (409, VersionConflictError),
        (429, RateLimitedError),
        (500, ServerError),
        (503, ServerError),
        (405, RequestError),
        (415, RequestError),
    ],
)
def test_status_maps_to_the_exception_the_caller_acts_on(
    status: int, expected: type[LexofficeError]
) -> None:
    assert error_class_for(status) is expected


def test_every_table_entry_is_a_lexoffice_error() -> None:
    assert all(issubclass(cls, LexofficeError) for cls in STATUS_ERRORS.values())


def test_legacy_issue_list_becomes_readable_details() -> None:
    error = error_for_response("POST", "/v1/contacts", 406, json.dumps(LEGACY_406))
    assert isinstance(error, ValidationError)
    assert error.details == [ErrorDetail("company.name", "missing_entity", "validation_failure")]
    assert "company.name" in str(error) and "missing_entity" in str(error)


def test_regular_details_become_readable_details() -> None:
    error = error_for_response("POST", "/v1/invoices", 406, json.dumps(REGULAR_406))
    assert isinstance(error, ValidationError)
    [detail] = error.details
    assert detail.field == "lineItems[0].unitPrice.taxRatePercentage"
    assert detail.violation == "NOTNULL"
    assert "POST /v1/invoices" in str(error) and "406" in str(error)


def test_regular_body_with_status_as_string_is_parsed() -> None:
    body = {**REGULAR_406, "status": "406"}
    error = error_for_response("POST", "/v1/invoices", 406, json.dumps(body))
    assert isinstance(error, ValidationError) and len(error.details) == 1


@pytest.mark.parametrize("body", ["", "null", "<html>oops</html>", '{"message": null}'])
def test_unparseable_or_empty_bodies_still_give_the_right_exception(body: str) -> None:
    error = error_for_response("GET", "/v1/profile", 503, body)
    assert isinstance(error, ServerError)
    assert str(error).startswith("GET /v1/profile → HTTP 503")


def test_gateway_message_is_kept() -> None:
    error = error_for_response("GET", "/v1/profile", 401, '{"message":"Unauthorized"}')
    assert isinstance(error, CredentialsError)
    assert "Unauthorized" in str(error)


def test_conflict_carries_the_resource_id_from_the_path() -> None:
    error = error_for_response("PUT", f"/v1/contacts/{CONTACT_ID}", 409, "")
    assert isinstance(error, VersionConflictError)
    assert error.resource_id == CONTACT_ID
    assert CONTACT_ID in str(error)


def test_resource_id_is_none_for_collection_paths() -> None:
    assert resource_id_from("/v1/event-subscriptions") is None


def test_outcome_unknown_carries_what_was_sent() -> None:
    sent = {"voucherDate": "2025-01-01T00:00:00.000Z"}
    error = OutcomeUnknownError("POST", "/v1/invoices", 504, sent_body=sent)
    assert error.sent_body == sent and error.method == "POST" and error.path == "/v1/invoices"
    assert "look before resending" in str(error)
