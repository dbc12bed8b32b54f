"""The API key never appears in logs, error messages or reprs."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import LexofficeError
from connectors.lexoffice.models import Company, Contact, Role, Roles
from connectors.lexoffice.settings import LexofficeSettings

MISSING_ID = "9b0c5d6a-0000-4000-8000-000000000000"


def provoke_errors(client: LexofficeClient, inject_fault: Any) -> list[LexofficeError]:
    """Run into a retried 429, 404, 406, outcome-unknown and 409; return the errors raised."""
    inject_fault("GET", "/v1/profile", "429", count=1)
    client.get_profile()
    created = client.create_contact(
        Contact(roles=Roles(customer=Role()), company=Company(name="x"))
    )
    stale = client.get_contact(created.id)
    client.update_contact(stale)
    errors: list[LexofficeError] = []
    for attempt in (
        lambda: client.get_contact(MISSING_ID),
        lambda: client.create_contact(Contact(roles=Roles(customer=Role()), company=Company())),
        lambda: client.update_contact(stale),
        lambda: (
            inject_fault("POST", "/v1/contacts", "504"),
            client.create_contact(Contact(roles=Roles(customer=Role()), company=Company(name="y"))),
        ),
    ):
        with pytest.raises(LexofficeError) as caught:
            attempt()
        errors.append(caught.value)
    return errors


def test_the_key_is_absent_from_logs_errors_and_reprs(
    lex_client: LexofficeClient,
    lex_settings: LexofficeSettings,
    inject_fault: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = lex_settings.api_key.get_secret_value()
    with caplog.at_level(logging.DEBUG):
        errors = provoke_errors(lex_client, inject_fault)
    assert [e.status for e in errors] == [404, 406, 409, 504] and caplog.records
    texts = [caplog.text, repr(lex_settings), str(lex_settings), repr(lex_client)]
    texts += [lex_settings.model_dump_json()]
    texts += [str(error) for error in errors] + [repr(error) for error in errors]
    texts += [repr(vars(error)) for error in errors]
    assert all(key not in text for text in texts)
    assert "**********" in repr(lex_settings)
