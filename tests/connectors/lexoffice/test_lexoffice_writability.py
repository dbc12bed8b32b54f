"""Which contacts the API can write back, without I/O."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.lexoffice.models import Contact
from connectors.lexoffice.writability import contact_write_blockers, is_contact_writable


def contact(**fields: Any) -> Contact:
    return Contact.model_validate(
        {"roles": {"customer": {}}, "person": {"lastName": "M"}, **fields}
    )


def test_a_contact_with_one_entry_per_list_is_writable() -> None:
    single = contact(
        addresses={"billing": [{"countryCode": "DE"}], "shipping": [{"countryCode": "DE"}]},
        emailAddresses={"business": ["a@b.de"], "private": ["c@d.de"]},
        phoneNumbers={"mobile": ["0170"], "fax": ["030"]},
    )
    assert contact_write_blockers(single) == []
    assert is_contact_writable(single)


@pytest.mark.parametrize(
    ("fields", "blocker"),
    [
        ({"addresses": {"billing": [{"countryCode": "DE"}] * 2}}, "addresses.billing"),
        ({"addresses": {"shipping": [{"countryCode": "DE"}] * 3}}, "addresses.shipping"),
        ({"emailAddresses": {"office": ["a@b.de", "c@d.de"]}}, "emailAddresses.office"),
        ({"emailAddresses": {"other": ["a@b.de", "c@d.de"]}}, "emailAddresses.other"),
        ({"phoneNumbers": {"business": ["1", "2"]}}, "phoneNumbers.business"),
        ({"phoneNumbers": {"fax": ["1", "2"]}}, "phoneNumbers.fax"),
    ],
)
def test_more_than_one_entry_in_a_list_blocks_writing(fields: dict[str, Any], blocker: str) -> None:
    [reason] = contact_write_blockers(contact(**fields))
    assert reason.startswith(blocker) and "entries" in reason


def test_more_than_one_contact_person_blocks_writing() -> None:
    company = {"name": "ACME", "contactPersons": [{"lastName": "A"}, {"lastName": "B"}]}
    multi = Contact.model_validate({"roles": {"customer": {}}, "company": company})
    assert contact_write_blockers(multi) == [
        "company.contactPersons has 2 entries (the API allows 1)"
    ]


def test_every_blocker_is_listed() -> None:
    crowded = contact(
        addresses={"billing": [{"countryCode": "DE"}] * 2},
        phoneNumbers={"mobile": ["1", "2"]},
    )
    assert len(contact_write_blockers(crowded)) == 2
