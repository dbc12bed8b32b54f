"""Can a contact be written through the API? lexoffice's write rules for contacts.

Contacts edited in the web UI may hold several addresses, e-mail addresses, phone numbers or
contact persons, or (imported from elsewhere) both a person and a company; the API reads them
but refuses to create or update them (406). This module is the one home of that rule: the
client checks it before sending, the mapping before it builds a write body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from connectors.lexoffice.models.contacts import Contact

# The lists lexoffice accepts with at most one entry on write (its docs list exactly these).
SINGLE_ENTRY_LISTS: Mapping[str, tuple[str, ...]] = {
    "addresses": ("billing", "shipping"),
    "emailAddresses": ("business", "office", "private", "other"),
    "phoneNumbers": ("business", "office", "mobile", "private", "fax", "other"),
}


class WriteBlocker(NamedTuple):
    """One write rule a contact breaks: more than one entry under `path`
    ("emailAddresses.office", "company.contactPersons"; `entries` of them), or `path` BOTH
    (a person and a company at once).

    `str()` is the developer's wording; the office's is made in `tasks/error_text.py`.
    """

    path: str
    entries: int = 0

    def __str__(self) -> str:
        if self.path == BOTH:
            return "contact has both person and company"
        return f"{self.path} has {self.entries} entries"


BOTH = "person+company"


class ContactNotWritableError(ValueError):
    """The contact breaks lexoffice's write rules: a person has to edit it in lexoffice.

    `blockers` says why, one per broken rule; the message joins them.
    """

    def __init__(self, blockers: Iterable[WriteBlocker]) -> None:
        self.blockers = tuple(blockers)
        super().__init__("; ".join(map(str, self.blockers)))


def contact_write_blockers(contact: Contact | Mapping[str, Any]) -> tuple[WriteBlocker, ...]:
    """Why lexoffice would refuse to create or update this contact; empty when it would not.

    Takes the client's model or the contact's JSON as read from lexoffice.
    """
    body = contact.to_write_json() if isinstance(contact, Contact) else contact
    blockers = [
        WriteBlocker(f"{group}.{key}", len(entries))
        for group, keys in SINGLE_ENTRY_LISTS.items()
        for key in keys
        if len(entries := (body.get(group) or {}).get(key) or []) > 1
    ]
    persons = (body.get("company") or {}).get("contactPersons") or []
    if len(persons) > 1:
        blockers.append(WriteBlocker("company.contactPersons", len(persons)))
    if body.get("person") is not None and body.get("company") is not None:
        blockers.append(WriteBlocker(BOTH))
    return tuple(blockers)


def require_writable_contact(contact: Contact | Mapping[str, Any]) -> None:
    """Raise `ContactNotWritableError` when lexoffice would refuse to write this contact."""
    if blockers := contact_write_blockers(contact):
        raise ContactNotWritableError(blockers)
