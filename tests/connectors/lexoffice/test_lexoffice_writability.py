"""Which contacts the API can write back, without I/O: the model and the JSON get one answer."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.lexoffice.models import Contact
from connectors.lexoffice.writability import (
    BOTH,
    ContactNotWritableError,
    WriteBlocker,
    contact_write_blockers,
    require_writable_contact,
)


def body(**fields: Any) -> dict[str, Any]:
    """A contact's JSON as lexoffice returns it; `fields` replace top-level keys."""
    return {"roles": {"customer": {}}, "person": {"lastName": "M"}, **fields}


def blockers_of_both_forms(contact: dict[str, Any]) -> tuple[WriteBlocker, ...]:
    """The blockers of the JSON, after checking the client's model gives the same ones."""
    from_json = contact_write_blockers(contact)
    assert contact_write_blockers(Contact.model_validate(contact)) == from_json
    return from_json


def test_a_contact_with_one_entry_per_list_is_writable() -> None:
    single = body(
        addresses={"billing": [{"countryCode": "DE"}], "shipping": [{"countryCode": "DE"}]},
        emailAddresses={"business": ["a@b.de"], "private": ["c@d.de"]},
        phoneNumbers={"mobile": ["0170"], "fax": ["030"]},
    )
    assert blockers_of_both_forms(single) == ()
    require_writable_contact(single)  # raises nothing


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
    [reason] = blockers_of_both_forms(body(**fields))
    count = len(next(iter(next(iter(fields.values())).values())))
    assert reason == WriteBlocker(blocker, count)
    assert str(reason) == f"{blocker} has {count} entries"  # the developer's words


def test_more_than_one_contact_person_blocks_writing() -> None:
    company = {"name": "ACME", "contactPersons": [{"lastName": "A"}, {"lastName": "B"}]}
    multi = {"roles": {"customer": {}}, "company": company}
    assert blockers_of_both_forms(multi) == (WriteBlocker("company.contactPersons", 2),)


def test_a_person_and_a_company_at_once_blocks_writing() -> None:
    # lexoffice: company and person exclude each other (the sandbox answers 406 as well).
    both = body(company={"name": "ACME"})
    assert blockers_of_both_forms(both) == (WriteBlocker(BOTH),)
    assert str(WriteBlocker(BOTH)) == "contact has both person and company"


def test_every_blocker_is_listed_and_raised_in_one_error() -> None:
    crowded = body(
        addresses={"billing": [{"countryCode": "DE"}] * 2},
        phoneNumbers={"mobile": ["1", "2"]},
    )
    with pytest.raises(ContactNotWritableError) as caught:
        require_writable_contact(crowded)
    assert caught.value.blockers == blockers_of_both_forms(crowded)
    assert str(caught.value) == (
        "addresses.billing has 2 entries; phoneNumbers.mobile has 2 entries"
    )
