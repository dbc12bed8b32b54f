"""lexoffice contacts ⇄ canonical customers."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.lexoffice.writability import (
    ContactNotWritableError,
    WriteBlocker,
    contact_write_blockers,
)
from tasks.mapping.contacts import apply_customer_to_contact, contact_to_customer
from tasks.mapping.remote import NotSynced, RemoteRecord


def contact(**parts: Any) -> dict[str, Any]:
    """A lexoffice contact as GET returns it; `parts` replace top-level keys."""
    body: dict[str, Any] = {
        "id": "be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9",
        "organizationId": "aa93e8a8-2aa3-470b-b914-caad8a255dd8",
        "version": 3,
        "roles": {"customer": {"number": 10307}},
        "person": {"salutation": "Frau", "firstName": "Inge", "lastName": "Musterfrau"},
        "addresses": {
            "billing": [
                {
                    "supplement": "Hinterhaus",
                    "street": "Main St. 1",
                    "zip": "12345",
                    "city": "Berlin",
                    "countryCode": "DE",
                }
            ]
        },
        "emailAddresses": {"private": ["Inge@Example.de"]},
        "phoneNumbers": {"office": ["030 123"], "mobile": ["0170 1"], "fax": ["030 999"]},
        "note": "Notizen",
        "archived": False,
    }
    return body | parts


def company(**company_parts: Any) -> dict[str, Any]:
    base = {
        "name": "Muster GmbH",
        "vatRegistrationId": "DE123456789",
        "taxNumber": "12345/12345",
        "allowTaxFreeInvoices": False,
        "contactPersons": [
            {
                "salutation": "Herr",
                "firstName": "Max",
                "lastName": "Muster",
                "primary": True,
                "emailAddress": "max@muster.de",
            }
        ],
    }
    result = contact(company=base | company_parts)
    del result["person"]
    return result


def read(body: dict[str, Any]) -> RemoteRecord:
    result = contact_to_customer(body)
    assert isinstance(result, RemoteRecord), result
    return result


def test_person_contact_reads_as_canonical_customer():
    record = read(contact())

    customer = record.record
    assert (customer.kind, customer.salutation, customer.first_name, customer.last_name) == (
        "person",
        "Frau",
        "Inge",
        "Musterfrau",
    )
    assert (
        customer.billing_street,
        customer.billing_zip,
        customer.billing_city,
        customer.billing_country,
    ) == ("Main St. 1", "12345", "Berlin", "DE")
    assert customer.email == "inge@example.de"
    assert (customer.phone, customer.mobile) == ("030 123", "0170 1")
    assert (customer.note, customer.customer_number) == ("Notizen", "10307")
    assert (record.lexoffice_id, record.version, record.archived, record.writable) == (
        "be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9",
        3,
        False,
        True,
    )


def test_company_reads_its_primary_contact_person():
    body = company(contactPersons=[{"lastName": "Erster"}, {"lastName": "Chef", "primary": True}])

    customer = read(body).record

    assert (customer.kind, customer.company_name, customer.last_name) == (
        "company",
        "Muster GmbH",
        "Chef",
    )


def test_company_without_contact_person_reads_only_its_name():
    customer = read(company(contactPersons=[])).record

    assert (customer.company_name, customer.first_name, customer.last_name) == (
        "Muster GmbH",
        None,
        None,
    )


def test_several_entries_read_first_address_and_e_mail_in_slot_order():
    body = contact(
        addresses={
            "billing": [{"city": "Erste", "countryCode": "AT"}, {"city": "Zweite"}],
            "shipping": [{"city": "Lager", "countryCode": "DE"}],
        },
        emailAddresses={
            "other": ["o@x.de"],
            "private": ["p@x.de"],
            "office": ["o1@x.de", "o2@x.de"],
        },
        phoneNumbers={"other": ["4"], "private": ["3"], "business": ["1"], "mobile": ["m1", "m2"]},
    )

    record = read(body)

    customer = record.record
    assert (customer.billing_city, customer.billing_country, customer.shipping_city) == (
        "Erste",
        "AT",
        "Lager",
    )
    assert (customer.email, customer.phone, customer.mobile) == ("o1@x.de", "1", "m1")
    assert not record.writable
    assert set(record.write_blockers) == {
        WriteBlocker("addresses.billing", 2),
        WriteBlocker("emailAddresses.office", 2),
        WriteBlocker("phoneNumbers.mobile", 2),
    }


def test_contact_without_customer_role_is_not_a_customer():
    result = contact_to_customer(contact(roles={"vendor": {"number": 70001}}))

    assert isinstance(result, NotSynced) and "Kundenrolle" in result.reason


def test_archived_flag_travels_beside_the_record():
    assert read(contact(archived=True)).archived is True


def test_more_than_one_contact_person_blocks_writing():
    body = company(contactPersons=[{"lastName": "A"}, {"lastName": "B"}])

    assert contact_write_blockers(body) == (WriteBlocker("company.contactPersons", 2),)
    with pytest.raises(ContactNotWritableError, match=r"company\.contactPersons has 2"):
        apply_customer_to_contact(body, {"phone": "1"})


def test_create_body_has_customer_role_version_zero_and_no_read_only_fields():
    body = apply_customer_to_contact(
        None,
        {"kind": "person", "last_name": "Neu", "email": "neu@example.de", "billing_city": "Ulm"},
    )

    assert body == {
        "version": 0,
        "roles": {"customer": {}},
        "person": {"lastName": "Neu"},
        "addresses": {"billing": [{"city": "Ulm", "countryCode": "DE"}]},
        "emailAddresses": {"business": ["neu@example.de"]},
    }


def test_update_keeps_everything_lexsync_does_not_own():
    current = company()
    current["xRechnung"] = {
        "buyerReference": "04011000-1234512345-35",
        "vendorNumberAtCustomer": "70123456",
    }
    current["emailAddresses"] = {"business": ["info@muster.de"], "other": ["rechnung@muster.de"]}

    body = apply_customer_to_contact(
        current, {"email": "neu@muster.de", "company_name": "Muster AG"}
    )

    assert body["company"]["vatRegistrationId"] == "DE123456789"
    assert body["company"]["taxNumber"] == "12345/12345"
    assert body["company"]["contactPersons"] == current["company"]["contactPersons"]
    assert body["xRechnung"] == current["xRechnung"]
    assert body["emailAddresses"] == {
        "business": ["neu@muster.de"],
        "other": ["rechnung@muster.de"],
    }
    assert body["phoneNumbers"]["fax"] == ["030 999"]
    assert body["note"] == "Notizen"
    assert body["addresses"]["billing"][0]["supplement"] == "Hinterhaus"
    assert body["company"]["name"] == "Muster AG"


def test_update_never_sends_numbers_ids_or_archived_and_keeps_roles_and_version():
    current = contact(roles={"customer": {"number": 10307}, "vendor": {"number": 70001}})

    body = apply_customer_to_contact(current, {"phone": "030 321"})

    assert body["roles"] == {"customer": {}, "vendor": {}}
    assert body["version"] == 3
    assert not {"id", "organizationId", "archived"} & set(body)
    assert body["phoneNumbers"] == {"office": ["030 321"], "mobile": ["0170 1"], "fax": ["030 999"]}


def test_update_does_not_change_the_current_contact():
    current = contact()
    snapshot = copy.deepcopy(current)

    apply_customer_to_contact(current, {"last_name": "Anders", "email": None})

    assert current == snapshot


def test_clearing_a_value_removes_only_its_entry():
    body = apply_customer_to_contact(contact(), {"email": None, "mobile": None})

    assert "private" not in body["emailAddresses"]
    assert body["phoneNumbers"] == {"office": ["030 123"], "fax": ["030 999"]}


def test_person_becoming_a_company_keeps_the_name_as_contact_person():
    body = apply_customer_to_contact(contact(), {"kind": "company", "company_name": "Inge Bau"})

    assert "person" not in body
    assert body["company"] == {
        "name": "Inge Bau",
        "contactPersons": [
            {"primary": True, "salutation": "Frau", "firstName": "Inge", "lastName": "Musterfrau"}
        ],
    }


def test_fields_lexsync_does_not_export_are_refused():
    with pytest.raises(ValueError, match="customer_number"):
        apply_customer_to_contact(contact(), {"customer_number": "1"})


@pytest.mark.parametrize(
    "body",
    [contact(), company(), company(contactPersons=[])],
    ids=["person", "company", "company-only"],
)
def test_written_values_read_back_unchanged(body):
    values = read(body).record.values()
    exported = {
        name: value for name, value in values.items() if name not in ("note", "customer_number")
    }

    written = apply_customer_to_contact(body, exported) | {"id": body["id"]}

    assert read(written).record.values() == values | {"customer_number": None}  # never sent
