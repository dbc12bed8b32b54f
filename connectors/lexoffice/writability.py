"""Can a contact be written through the API? lexoffice allows one entry per list on write."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel

from connectors.lexoffice.models.contacts import Contact

MAX_ENTRIES_ON_WRITE = 1


def contact_write_blockers(contact: Contact) -> list[str]:
    """Why lexoffice would refuse to create/update this contact via the API (empty: it can).

    Contacts edited in the web UI may hold several addresses, e-mail addresses, phone
    numbers or contact persons; the API reads them but cannot write them back.
    """
    blockers: list[str] = []
    for prefix, group in (
        ("addresses", contact.addresses),
        ("emailAddresses", contact.email_addresses),
        ("phoneNumbers", contact.phone_numbers),
    ):
        blockers += _crowded_lists(prefix, group)
    if contact.company is not None:
        persons = {"contactPersons": contact.company.contact_persons}
        blockers += _describe("company", persons)
    return blockers


def is_contact_writable(contact: Contact) -> bool:
    """True when the API can create or update this contact as it is."""
    return not contact_write_blockers(contact)


def _crowded_lists(prefix: str, group: BaseModel | None) -> list[str]:
    if group is None:
        return []
    # Dumping (not the declared fields) also catches list categories lexoffice adds later.
    lists = {key: value for key, value in group.model_dump(by_alias=True).items()}
    return _describe(prefix, lists)


def _describe(prefix: str, lists: Mapping[str, object]) -> list[str]:
    return [
        f"{prefix}.{name} has {len(entries)} entries (the API allows {MAX_ENTRIES_ON_WRITE})"
        for name, entries in lists.items()
        if isinstance(entries, list) and len(entries) > MAX_ENTRIES_ON_WRITE
    ]
