"""Contacts through the client against the sandbox over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import ValidationError, VersionConflictError
from connectors.lexoffice.models import Company, Contact, Role, Roles
from connectors.lexoffice.writability import (
    ContactNotWritableError,
    WriteBlocker,
    contact_write_blockers,
)


def company_record(name: str, **fields: Any) -> dict[str, Any]:
    return {"version": 0, "roles": {"customer": {}}, "company": {"name": name}, **fields}


def new_company(name: str) -> Contact:
    return Contact(roles=Roles(customer=Role()), company=Company(name=name))


def test_listing_reads_every_page_of_more_than_250_contacts(
    lex_client: LexofficeClient, seed: Any, sandbox_requests: Any
) -> None:
    ids = seed("contacts", [company_record(f"Firma {n:04d}") for n in range(620)])
    listed = [str(contact.id) for contact in lex_client.iter_contacts()]
    assert sorted(listed) == sorted(ids)
    pages = sandbox_requests("GET", "/v1/contacts")
    assert len(pages) == 3
    assert all("size=250" in entry["query"] for entry in pages)


def test_name_filter_is_html_then_url_encoded_on_the_wire(
    lex_client: LexofficeClient, seed: Any, sandbox_requests: Any
) -> None:
    [wanted] = seed("contacts", [company_record("Johnson & Partner <GmbH>")])
    seed("contacts", [company_record("Johnson Bau")])
    found = [contact.id for contact in lex_client.iter_contacts(name="johnson & partner")]
    assert found == [wanted]
    [request] = sandbox_requests("GET", "/v1/contacts")
    assert "name=johnson%20%26amp%3B%20partner" in request["query"]


def test_short_filters_are_refused_before_anything_is_sent(
    lex_client: LexofficeClient, sandbox_requests: Any
) -> None:
    with pytest.raises(ValueError, match="at least 3 characters"):
        list(lex_client.iter_contacts(email="ab"))
    assert sandbox_requests() == []


def test_role_filters_select_customers_and_vendors(lex_client: LexofficeClient, seed: Any) -> None:
    [vendor] = seed("contacts", [{**company_record("Lieferant AG"), "roles": {"vendor": {}}}])
    seed("contacts", [company_record("Kunde GmbH")])
    assert [c.id for c in lex_client.iter_contacts(vendor=True, customer=False)] == [vendor]


def test_create_get_update_round_trip(lex_client: LexofficeClient) -> None:
    created = lex_client.create_contact(new_company("Malerei Weiß"))
    contact = lex_client.get_contact(created.id)
    assert contact.roles.customer is not None and contact.roles.customer.number is not None
    contact.note = "Schlüssel beim Nachbarn"
    updated = lex_client.update_contact(contact)
    assert updated.version == (contact.version or 0) + 1
    assert lex_client.get_contact(created.id).note == "Schlüssel beim Nachbarn"


def test_update_keeps_what_a_user_entered_in_lexoffice(
    lex_client: LexofficeClient, lex_sandbox: Any
) -> None:
    created = lex_client.create_contact(new_company("Sanitär Schulz"))
    patch = {
        "xRechnung": {"buyerReference": "04011000-1234512345-06", "vendorNumberAtCustomer": "K-17"}
    }
    lex_sandbox.control.patch(f"/contacts/{created.id}", json=patch).raise_for_status()
    contact = lex_client.get_contact(created.id)
    contact.note = "merged by lexsync"
    lex_client.update_contact(contact)
    after = lex_client.get_contact(created.id)
    assert after.x_rechnung is not None and after.x_rechnung.vendor_number_at_customer == "K-17"
    assert after.note == "merged by lexsync"


def test_stale_version_surfaces_as_conflict_with_the_resource_id(
    lex_client: LexofficeClient, lex_sandbox: Any
) -> None:
    created = lex_client.create_contact(new_company("Dachdecker Roth"))
    stale = lex_client.get_contact(created.id)
    patch = {"note": "changed by the user in the web app"}
    lex_sandbox.control.patch(f"/contacts/{created.id}", json=patch).raise_for_status()
    stale.note = "changed by lexsync"
    with pytest.raises(VersionConflictError) as caught:
        lex_client.update_contact(stale)
    assert caught.value.resource_id == created.id
    assert caught.value.status == 409 and created.id in str(caught.value)


def test_invalid_contact_gives_readable_legacy_details(lex_client: LexofficeClient) -> None:
    nameless = Contact(roles=Roles(customer=Role()), company=Company(name=None))
    with pytest.raises(ValidationError) as caught:
        lex_client.create_contact(nameless)
    error = caught.value
    assert error.status in (400, 406)
    assert any(detail.field == "company.name" for detail in error.details)
    assert "company.name" in str(error) and "POST /v1/contacts" in str(error)


def test_contacts_edited_in_the_web_app_are_flagged_and_not_sent(
    lex_client: LexofficeClient, seed: Any, sandbox_requests: Any
) -> None:
    two_addresses = {"billing": [{"countryCode": "DE"}, {"countryCode": "AT"}]}
    [contact_id] = seed("contacts", [company_record("Elektro Braun", addresses=two_addresses)])
    contact = lex_client.get_contact(contact_id)
    assert contact_write_blockers(contact) == (WriteBlocker("addresses.billing", 2),)
    with pytest.raises(ContactNotWritableError, match=r"addresses\.billing"):
        lex_client.update_contact(contact)
    assert sandbox_requests("PUT") == []
