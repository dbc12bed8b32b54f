"""Every row of the failure classification (`connectors.lexoffice.failures`) against the sandbox.

The sandbox commits the call and then answers badly (`commit-500`, …), so the request log
shows whether lexoffice performed it (`performedStatus`) and how often the client sent it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import OutcomeUnknownError, VersionConflictError
from connectors.lexoffice.failures import CLASSIFICATION, Performed, classify_status
from connectors.lexoffice.models import Article, Company, Contact, Role, Roles
from connectors.lexoffice.models.articles import ArticlePrice
from connectors.lexoffice.settings import LexofficeSettings

# Faults after which lexoffice has performed the call, and the table row each one belongs to.
COMMIT_THEN_FAIL = {
    "commit-500": "HTTP 5xx",
    "commit-502": "HTTP 5xx",
    "commit-503": "HTTP 5xx",
    "504": "HTTP 5xx",
    "timeout": "read/write timeout",
    "lose_response": "connection dropped",
    "unreadable": "unreadable 2xx body",
}
ROWS = dict(CLASSIFICATION)


def new_company(name: str = "Fliesen Krause") -> Contact:
    return Contact(roles=Roles(customer=Role()), company=Company(name=name))


def new_article() -> Article:
    price = ArticlePrice(net_price=Decimal("12.50"), leading_price="NET", tax_rate=Decimal(19))
    return Article(title="Silikonfuge", type="SERVICE", unit_name="m", price=price)


def client_for(settings: LexofficeSettings, **extra: Any) -> LexofficeClient:
    # A short read timeout, so the `timeout` fault (held 1 s) is a timeout for the client.
    return LexofficeClient(settings, httpx.Client(timeout=httpx.Timeout(0.4)), **extra)


def statuses(entries: list[dict[str, Any]]) -> list[int | None]:
    return [entry["status"] for entry in entries]


def test_the_table_says_only_429_and_unsent_requests_were_not_performed() -> None:
    not_performed = {row for row, kind in CLASSIFICATION if kind == Performed.NOT_PERFORMED}
    assert not_performed == {"HTTP 429", "no connection made"}
    assert [classify_status(s) for s in (429, 500, 502, 503, 504, 400, 404, 409)] == [
        Performed.NOT_PERFORMED,
        *[Performed.OUTCOME_UNKNOWN] * 4,
        *[Performed.FINAL] * 3,
    ]


@pytest.mark.parametrize("fault", sorted(COMMIT_THEN_FAIL))
@pytest.mark.parametrize("resource", ["contacts", "articles"])
def test_a_create_committed_then_failed_is_outcome_unknown_and_sent_once(
    lex_settings: LexofficeSettings,
    inject_fault: Any,
    sandbox_requests: Any,
    fault: str,
    resource: str,
) -> None:
    assert ROWS[COMMIT_THEN_FAIL[fault]] == Performed.OUTCOME_UNKNOWN
    path = f"/v1/{resource}"
    inject_fault("POST", path, fault, count=1, delay=1.0)
    with client_for(lex_settings) as client, pytest.raises(OutcomeUnknownError) as caught:
        if resource == "contacts":
            client.create_contact(new_company())
        else:
            client.create_article(new_article())
    [post] = sandbox_requests("POST", path)
    assert post["performedStatus"] == 201  # lexoffice did create it: only a look-up may tell
    assert caught.value.sent_body is not None


def test_a_429_on_a_create_is_retried_because_lexoffice_performed_nothing(
    lex_settings: LexofficeSettings, inject_fault: Any, sandbox_requests: Any
) -> None:
    inject_fault("POST", "/v1/contacts", "429", count=2)
    with client_for(lex_settings) as client:
        client.create_contact(new_company())
        assert len(list(client.iter_contacts())) == 1
    assert statuses(sandbox_requests("POST", "/v1/contacts")) == [429, 429, 201]


@pytest.mark.parametrize("fault", sorted(COMMIT_THEN_FAIL))
def test_a_read_that_failed_any_such_way_is_retried(
    lex_settings: LexofficeSettings, inject_fault: Any, sandbox_requests: Any, fault: str
) -> None:
    inject_fault("GET", "/v1/profile", fault, count=1, delay=1.0)
    with client_for(lex_settings) as client:
        assert client.get_profile().organization_id
    assert len(sandbox_requests("GET", "/v1/profile")) == 2


@pytest.mark.parametrize("fault", sorted(COMMIT_THEN_FAIL))
def test_a_repeated_put_never_overwrites_a_version_written_in_between(
    lex_settings: LexofficeSettings,
    lex_sandbox: Any,
    inject_fault: Any,
    sandbox_requests: Any,
    fault: str,
) -> None:
    """lexsync's PUT is performed, its answer lost; a user edits the contact before the
    repeat. The repeat carries the old version: 409, and the user's edit stands."""
    with client_for(lex_settings) as setup:
        contact_id = setup.create_contact(new_company()).id
        contact = setup.get_contact(contact_id)
    contact.note = "von lexsync"

    def user_edits_while_the_client_waits(_seconds: float) -> None:
        edit = {"phoneNumbers": {"business": ["0911 99"]}}
        lex_sandbox.control.patch(f"/contacts/{contact_id}", json=edit).raise_for_status()

    inject_fault("PUT", "/v1/contacts", fault, count=1, delay=1.0)
    with (
        client_for(lex_settings, sleep=user_edits_while_the_client_waits) as client,
        pytest.raises(VersionConflictError),
    ):
        client.update_contact(contact)
    puts = sandbox_requests("PUT", "/v1/contacts")
    assert [puts[0]["performedStatus"], puts[1]["status"]] == [200, 409]
    with client_for(lex_settings) as client:
        stored = client.get_contact(contact_id)
    assert stored.note == "von lexsync"
    assert stored.phone_numbers is not None and stored.phone_numbers.business == ["0911 99"]
