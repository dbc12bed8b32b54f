"""The customer of an imported document: the linked contact, or one made from the address.

Decisions:
- A document whose contact is a lexoffice customer gets the local customer linked to that
  contact. A contact not in the system yet is imported first, by the master-data sync's own
  `tasks.sync.single.import_contacts` (its rules, its links, its report section), in one
  call for all such contacts of the run.
- A document addressed to the **collective contact** (Sammelkunde: the voucherlist's
  `contactId` is null) or to a **one-time address** (the document's `address.contactId` is
  empty) has no contact to link. Its customer is made from the address (see
  `mapping.customer_from_address`) and gets no lexoffice link, since no lexoffice contact
  stands for it. An existing company customer with exactly the same name and billing address
  is reused instead, so that repeated documents to one address make one customer.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import Customer, SyncAction, SyncDirection, SyncEntity
from connectors.fieldservice.queries import add, find_customer_by_address, get_link_by_lexoffice_id
from connectors.lexoffice.client import LexofficeClient
from tasks.documents.mapping import Document, customer_from_address
from tasks.report import RunReport
from tasks.settings import SyncSettings
from tasks.sync.journal import journal
from tasks.sync.single import describe_new_customer_exports, export_customers, import_contacts


def uses_address(listed_contact_id: str | None, document: Document) -> bool:
    """True for the collective contact and for one-time addresses."""
    return not listed_contact_id or not document.address.contact_id


def linked_customers(session: Session, contact_ids: Iterable[str]) -> dict[str, int]:
    """lexoffice contact id → local customer id, for the contacts already in the system."""
    found = {}
    for contact_id in set(contact_ids):
        link = get_link_by_lexoffice_id(session, SyncEntity.CUSTOMER, uuid.UUID(contact_id))
        if link is not None:
            found[contact_id] = link.local_id
    return found


def import_missing_contacts(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    contact_ids: list[str],
    run_id: str,
    report: RunReport,
    dry_run: bool = False,
) -> dict[str, int]:
    """Import these lexoffice contacts with the master-data rules; id → local customer id
    (`dry_run`: reported, not written; a customer to be created has a stand-in id)."""
    if not contact_ids:
        return {}
    return import_contacts(sessions, client, settings, contact_ids, run_id, report, dry_run)


def address_customer(
    session: Session, document: Document, source: str, run_id: str
) -> tuple[int, bool]:
    """The customer for a document without a contact: an equal one, else a new one (journalled
    as created from the address); returns its id and whether it is new."""
    values = customer_from_address(document.address, source)
    existing = _equal_customer(session, values)
    if existing is not None:
        return existing.id, False
    customer_id = add(session, Customer(**values)).id
    journal(
        session,
        run_id,
        SyncEntity.CUSTOMER,
        SyncDirection.IMPORT,
        SyncAction.CREATE,
        local_id=customer_id,
        lexoffice_id=None,
        before=None,
        after={"created_from_address": source} | _plain(values),
    )
    return customer_id, True


def _equal_customer(session: Session, values: dict[str, Any]) -> Customer | None:
    return find_customer_by_address(
        session,
        company_name=values["company_name"],
        street=values["billing_street"],
        zip_code=values["billing_zip"],
        city=values["billing_city"],
        country_code=values["billing_country_code"],
    )


_ADDRESS_KEYS = (
    "company_name",
    "billing_street",
    "billing_zip",
    "billing_city",
    "billing_country_code",
)


class AddressPreview:
    """A dry run's customers from addresses: the same decisions as `address_customer`, read
    only. An equal customer in the system, or one this dry run would make already, is reused;
    else a would-be customer (its column values) gets a stand-in id below zero."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.planned: dict[int, dict[str, Any]] = {}

    def customer(self, document: Document, source: str) -> tuple[int, bool]:
        values = customer_from_address(document.address, source)
        key = tuple(values[k] for k in _ADDRESS_KEYS)
        for local_id, row in self.planned.items():
            if tuple(row[k] for k in _ADDRESS_KEYS) == key:
                return local_id, False
        existing = _equal_customer(self.session, values)
        if existing is not None:
            return existing.id, False
        local_id = -1 - len(self.planned)
        self.planned[local_id] = values | {"id": local_id}
        return local_id, True


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as JSON can hold them (enums as their text)."""
    return {k: str(v) if isinstance(v, enum.Enum) else v for k, v in values.items()}


def export_address_customers(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    customer_ids: list[int],
    run_id: str,
    report: RunReport,
) -> None:
    """Export the customers this run made from addresses, with the master-data rules, so the
    next sync finds them linked and numbered and has nothing left to write."""
    if customer_ids:
        export_customers(sessions, client, settings, customer_ids, run_id, report)


def describe_address_customer_exports(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    planned: list[dict[str, Any]],
    report: RunReport,
) -> None:
    """A dry run's report of exporting the customers it would make from addresses."""
    if planned:
        describe_new_customer_exports(sessions, client, settings, planned, report)
