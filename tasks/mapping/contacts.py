"""lexoffice contacts ⇄ canonical customers (*Kunden*).

Reading, when a list holds several entries (lexoffice's web UI allows that):
- address: the first billing and the first shipping address;
- e-mail: the first entry of `business`, else `office`, else `private`, else `other`;
- phone: the same order over `business`, `office`, `private`, `other`; mobile from `mobile`;
- a company's contact person: the primary one, else the first; none → only `company.name`.
Writing starts from the current contact and touches only the groups of fields that changed
(name, billing address, shipping address, e-mail, phone, mobile), so VAT ID, XRechnung data,
further e-mails, fax and so on survive. An e-mail or phone is written back into the slot it was
read from; a new one goes to `business`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from connectors.lexoffice.writability import contact_write_blockers, require_writable_contact
from tasks.mapping.records import CUSTOMER, CanonicalCustomer
from tasks.mapping.remote import NotSynced, RemoteRecord

EMAIL_SLOTS = ("business", "office", "private", "other")
PHONE_SLOTS = ("business", "office", "private", "other")
_NAME_FIELDS = ("kind", "salutation", "first_name", "last_name", "company_name")
_ADDRESS_KEYS = {"street": "street", "zip": "zip", "city": "city", "country": "countryCode"}
_READ_ONLY_KEYS = ("id", "organizationId", "archived")


def contact_to_customer(contact: Mapping[str, Any]) -> RemoteRecord[CanonicalCustomer] | NotSynced:
    """The canonical customer of a lexoffice contact, or why it is not a customer."""
    roles = contact.get("roles") or {}
    if "customer" not in roles:
        return NotSynced(contact.get("id"), "Kontakt ohne Kundenrolle")
    if "person" not in contact and "company" not in contact:
        # A customer all the same (the web app allows it): reported, not silently dropped.
        reason = "Kontakt ist weder Person noch Firma"
        return NotSynced(contact.get("id"), reason, field="company")
    blockers = contact_write_blockers(contact)
    number = (roles.get("customer") or {}).get("number")
    customer = CanonicalCustomer(
        **_read_name(contact),
        **_read_address(contact, "billing"),
        **_read_address(contact, "shipping"),
        email=_first_in_slots(contact.get("emailAddresses"), EMAIL_SLOTS)[1],
        phone=_first_in_slots(contact.get("phoneNumbers"), PHONE_SLOTS)[1],
        mobile=_first_in_slots(contact.get("phoneNumbers"), ("mobile",))[1],
        note=contact.get("note"),
        customer_number=None if number is None else str(number),
    )
    return RemoteRecord(
        lexoffice_id=str(contact["id"]),
        version=int(contact.get("version") or 0),
        archived=bool(contact.get("archived")),
        writable=not blockers,
        write_blockers=blockers,
        record=customer,
    )


def apply_customer_to_contact(
    current_contact: Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """A contact write body: `current_contact` (None to create) with the given fields changed.

    `fields` maps canonical export fields to new values (on create: all of them). Raises
    `ContactNotWritableError` when the current contact cannot be written through the API.
    """
    unknown = set(fields) - CUSTOMER.export_fields
    if unknown:
        raise ValueError(f"not exported to lexoffice: {sorted(unknown)}")
    if current_contact is not None:
        require_writable_contact(current_contact)
    body = _writable_copy(current_contact)
    merged = _merged_values(current_contact, fields)
    if set(_NAME_FIELDS) & set(fields):
        _write_name(body, merged)
    for kind in ("billing", "shipping"):
        if any(name.startswith(f"{kind}_") for name in fields):
            _write_address(body, kind, merged)
    if "email" in fields:
        _write_slot(body, "emailAddresses", EMAIL_SLOTS, merged["email"])
    if "phone" in fields:
        _write_slot(body, "phoneNumbers", PHONE_SLOTS, merged["phone"])
    if "mobile" in fields:
        _write_slot(body, "phoneNumbers", ("mobile",), merged["mobile"])
    return body


def _read_name(contact: Mapping[str, Any]) -> dict[str, Any]:
    if person := contact.get("person"):
        names = _person_names(person)
        return {"kind": "person", **names, "company_name": None}
    company = contact.get("company") or {}
    persons = company.get("contactPersons") or []
    chosen = next((p for p in persons if p.get("primary")), persons[0] if persons else {})
    return {"kind": "company", **_person_names(chosen), "company_name": company.get("name")}


def _person_names(person: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "salutation": person.get("salutation"),
        "first_name": person.get("firstName"),
        "last_name": person.get("lastName"),
    }


def _read_address(contact: Mapping[str, Any], kind: str) -> dict[str, Any]:
    entries = (contact.get("addresses") or {}).get(kind) or []
    entry = entries[0] if entries else {}
    return {f"{kind}_{part}": entry.get(key) for part, key in _ADDRESS_KEYS.items()}


def _first_in_slots(
    lists: Mapping[str, Any] | None, slots: tuple[str, ...]
) -> tuple[str | None, Any]:
    """The first slot holding an entry, and that entry."""
    for slot in slots:
        entries = (lists or {}).get(slot) or []
        if entries:
            return slot, entries[0]
    return None, None


def _writable_copy(current: Mapping[str, Any] | None) -> dict[str, Any]:
    if current is None:
        return {"version": 0, "roles": {"customer": {}}}
    body = copy.deepcopy(dict(current))
    for key in _READ_ONLY_KEYS:
        body.pop(key, None)
    # Role objects are sent empty: their numbers are assigned by lexoffice and read-only.
    body["roles"] = {role: {} for role in body.get("roles") or {}} or {"customer": {}}
    body["version"] = int(current.get("version") or 0)
    return body


def _merged_values(current: Mapping[str, Any] | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical values after the change: the current contact's, overlaid with `fields`."""
    read = contact_to_customer(current) if current is not None else None
    base = read.record.values() if isinstance(read, RemoteRecord) else {}
    return CanonicalCustomer(**{**base, **fields}).values()


def _write_name(body: dict[str, Any], values: Mapping[str, Any]) -> None:
    names = {
        "salutation": values["salutation"],
        "firstName": values["first_name"],
        "lastName": values["last_name"],
    }
    if values["kind"] == "person":
        body.pop("company", None)
        body["person"] = _set_or_drop(dict(body.get("person") or {}), names)
        return
    body.pop("person", None)
    company = body.setdefault("company", {})
    company["name"] = values["company_name"]
    persons = company.get("contactPersons") or []
    if any(names.values()):
        chosen = dict(persons[0]) if persons else {"primary": True}
        company["contactPersons"] = [_set_or_drop(chosen, names)]
    else:  # the system names no contact person any more
        company.pop("contactPersons", None)


def _write_address(body: dict[str, Any], kind: str, values: Mapping[str, Any]) -> None:
    addresses = body.setdefault("addresses", {})
    new = {key: values[f"{kind}_{part}"] for part, key in _ADDRESS_KEYS.items()}
    if not any(new.values()):
        addresses.pop(kind, None)
        return
    entries = addresses.get(kind) or []
    addresses[kind] = [_set_or_drop(dict(entries[0]) if entries else {}, new)]


def _write_slot(
    body: dict[str, Any], group: str, slots: tuple[str, ...], value: str | None
) -> None:
    lists = body.setdefault(group, {})
    slot, _ = _first_in_slots(lists, slots)
    if value is not None:
        lists[slot or slots[0]] = [value]
    elif slot is not None:
        lists.pop(slot)


def _set_or_drop(target: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in values.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return target
