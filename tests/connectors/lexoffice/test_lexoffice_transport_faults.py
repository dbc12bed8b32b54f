"""The retry layer against the sandbox's injected faults (the request log is the witness)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import (
    OutcomeUnknownError,
)
from connectors.lexoffice.models import Company, Contact, Role, Roles

PROFILE = "/v1/profile"
CONTACTS = "/v1/contacts"


def new_company(name: str = "Fliesen Krause") -> Contact:
    return Contact(roles=Roles(customer=Role()), company=Company(name=name))


def statuses(entries: list[dict[str, Any]]) -> list[int | None]:
    return [entry["status"] for entry in entries]


def test_429_is_waited_out_and_retried(
    lex_client: LexofficeClient, inject_fault: Any, sandbox_requests: Any
) -> None:
    inject_fault("GET", PROFILE, "429", count=2)
    assert lex_client.get_profile().organization_id
    assert statuses(sandbox_requests("GET", PROFILE)) == [429, 429, 200]


def test_429_on_post_is_retried_because_nothing_was_performed(
    lex_client: LexofficeClient, inject_fault: Any, sandbox_requests: Any
) -> None:
    inject_fault("POST", CONTACTS, "429", count=1)
    lex_client.create_contact(new_company())
    assert statuses(sandbox_requests("POST", CONTACTS)) == [429, 201]
    assert len(list(lex_client.iter_contacts())) == 1


def test_get_with_a_500_is_retried(
    lex_client: LexofficeClient, inject_fault: Any, sandbox_requests: Any
) -> None:
    inject_fault("GET", PROFILE, "500", count=1)
    assert lex_client.get_profile().organization_id
    assert statuses(sandbox_requests("GET", PROFILE)) == [500, 200]


def test_post_with_503_is_outcome_unknown_even_if_lexoffice_performed_nothing(
    lex_client: LexofficeClient, inject_fault: Any, sandbox_requests: Any
) -> None:
    """A 503 does not say whether the call was performed (the gateway may answer it after
    the backend committed): the caller looks before sending again."""
    inject_fault("POST", CONTACTS, "503", count=1)
    with pytest.raises(OutcomeUnknownError):
        lex_client.create_contact(new_company())
    assert statuses(sandbox_requests("POST", CONTACTS)) == [503]


@pytest.mark.parametrize("fault", ["504", "500", "502", "503", "lose_response"])
def test_post_with_unknown_outcome_is_not_retried(
    lex_client: LexofficeClient, inject_fault: Any, sandbox_requests: Any, fault: str
) -> None:
    inject_fault("POST", CONTACTS, fault, count=1)
    contact = new_company()
    with pytest.raises(OutcomeUnknownError) as caught:
        lex_client.create_contact(contact)
    assert len(sandbox_requests("POST", CONTACTS)) == 1
    error = caught.value
    assert (error.method, error.path) == ("POST", CONTACTS)
    assert error.sent_body == contact.to_write_json()


def test_post_whose_answer_times_out_is_not_retried(
    make_settings: Any, inject_fault: Any, sandbox_requests: Any
) -> None:
    settings = make_settings(read_timeout=0.3)
    inject_fault("POST", CONTACTS, "timeout", count=1, delay=1.0)
    with (
        httpx.Client(timeout=httpx.Timeout(0.3)) as http,
        LexofficeClient(settings, http) as client,
        pytest.raises(OutcomeUnknownError),
    ):
        client.create_contact(new_company())
    assert len(sandbox_requests("POST", CONTACTS)) == 1


def test_put_after_a_lost_response_is_retried_and_the_repeat_conflicts(
    lex_client: LexofficeClient, inject_fault: Any, sandbox_requests: Any
) -> None:
    from connectors.lexoffice.errors import VersionConflictError

    created = lex_client.create_contact(new_company())
    contact = lex_client.get_contact(created.id)
    contact.note = "performed, answer lost"
    inject_fault("PUT", CONTACTS, "504", count=1)
    with pytest.raises(VersionConflictError):
        lex_client.update_contact(contact)
    assert statuses(sandbox_requests("PUT", CONTACTS)) == [504, 409]
    assert lex_client.get_contact(created.id).note == "performed, answer lost"
