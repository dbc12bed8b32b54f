"""Contacts (`/v1/contacts`): customers and vendors, companies or persons."""

from __future__ import annotations

from pydantic import Field

from connectors.lexoffice.models.base import KeepUnknownModel, read_only


class Role(KeepUnknownModel):
    """A role is present when its object is present (`{"customer": {}}`)."""

    number: int | None = read_only()


class Roles(KeepUnknownModel):
    customer: Role | None = None
    vendor: Role | None = None


class ContactPerson(KeepUnknownModel):
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    primary: bool | None = None
    email_address: str | None = None
    phone_number: str | None = None


class Company(KeepUnknownModel):
    name: str | None = None
    tax_number: str | None = None
    vat_registration_id: str | None = None
    allow_tax_free_invoices: bool | None = None
    contact_persons: list[ContactPerson] | None = None


class Person(KeepUnknownModel):
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class Address(KeepUnknownModel):
    supplement: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country_code: str | None = None


class Addresses(KeepUnknownModel):
    billing: list[Address] | None = None
    shipping: list[Address] | None = None


class EmailAddresses(KeepUnknownModel):
    business: list[str] | None = None
    office: list[str] | None = None
    private: list[str] | None = None
    other: list[str] | None = None


class PhoneNumbers(KeepUnknownModel):
    business: list[str] | None = None
    office: list[str] | None = None
    mobile: list[str] | None = None
    private: list[str] | None = None
    fax: list[str] | None = None
    other: list[str] | None = None


class XRechnung(KeepUnknownModel):
    buyer_reference: str | None = None
    vendor_number_at_customer: str | None = None


class Contact(KeepUnknownModel):
    """A lexoffice contact. Unknown keys are kept, so a GET → merge → PUT loses nothing.

    `version` is read-only in lexoffice's sense but is sent on write on purpose: 0 on create,
    the version last read on update (optimistic locking).
    """

    id: str | None = read_only()
    organization_id: str | None = read_only()
    version: int = 0
    roles: Roles = Field(default_factory=Roles)
    company: Company | None = None
    person: Person | None = None
    addresses: Addresses | None = None
    x_rechnung: XRechnung | None = Field(default=None, alias="xRechnung")
    email_addresses: EmailAddresses | None = None
    phone_numbers: PhoneNumbers | None = None
    note: str | None = None
    archived: bool | None = read_only()
