"""Reading documents from lexoffice: the voucherlist, then each document to be imported.

The voucherlist is the only list of order confirmations and delivery notes. It is read per
document type, sorted by `updatedDate`, 250 per page (the client's page size), from the day
`plan.listing_start` chose; the client bisects the date range wherever a query would exceed
lexoffice's 10,000-result window. Line items, texts and totals need one GET per document, so
only the documents the plan imports or reports as changed are fetched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import pydantic

from connectors.fieldservice.models import DocumentType
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import LexofficeError, RetryLaterError
from connectors.lexoffice.models import VoucherlistEntry
from connectors.lexoffice.voucherlist import VoucherlistQuery
from tasks.documents.mapping import Document
from tasks.documents.plan import BERLIN, LISTING_COLUMNS

VOUCHER_TYPES = {
    DocumentType.ORDER_CONFIRMATION: "orderconfirmation",
    DocumentType.DELIVERY_NOTE: "deliverynote",
}


@dataclass
class FetchedDocuments:
    """The documents read, by lexoffice id, and why the others could not be read."""

    documents: dict[str, Document] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def listing_query(
    document_types: DocumentType | Iterable[DocumentType], since: dt.date | None
) -> VoucherlistQuery:
    """Every document of these types (any status) updated on or after `since`."""
    kinds = [document_types] if isinstance(document_types, DocumentType) else document_types
    return VoucherlistQuery(
        voucher_types=tuple(VOUCHER_TYPES[kind] for kind in kinds),
        voucher_statuses=("any",),
        updated_date_from=since,
        split_on="updatedDate",
        sort="updatedDate,ASC",
    )


def list_documents(
    client: LexofficeClient, starts: Mapping[DocumentType, dt.date | None]
) -> pd.DataFrame:
    """The voucherlist entries of each document type since its start day, as one frame.

    One listing for all types, from the earliest start day (a request less per type and
    sync); each type's entries from before its own start day are left out again.
    """
    if not starts:
        return pd.DataFrame([], columns=list(LISTING_COLUMNS))
    days = list(starts.values())
    since = None if None in days else min(day for day in days if day is not None)
    types = {VOUCHER_TYPES[kind]: kind for kind in starts}
    rows = []
    for entry in client.iter_voucherlist(listing_query(starts.keys(), since)):
        kind = types.get(entry.voucher_type)
        if kind is not None and _since(entry, starts[kind]):
            rows.append(listing_row(entry, kind))
    return pd.DataFrame(rows, columns=list(LISTING_COLUMNS))


def _since(entry: VoucherlistEntry, start: dt.date | None) -> bool:
    if start is None or entry.updated_date is None:
        return True
    return entry.updated_date.astimezone(BERLIN).date() >= start


def listing_row(entry: VoucherlistEntry, document_type: DocumentType) -> dict[str, object]:
    """One voucherlist entry as a row of the listing frame."""
    return {
        "lexoffice_id": entry.id,
        "document_type": document_type.value,
        "voucher_status": entry.voucher_status,
        "voucher_number": entry.voucher_number,
        "voucher_date": entry.voucher_date,
        "contact_id": entry.contact_id,
        "contact_name": entry.contact_name,
        "updated_at": entry.updated_date,
    }


def fetch_documents(
    client: LexofficeClient,
    listed: Iterable[tuple[str, str]],
    on_each: Callable[[], None] = lambda: None,
) -> FetchedDocuments:
    """GET each (lexoffice id, document type); a document that cannot be read is noted.

    Final errors (gone, refused) and errors that persisted through the client's retries are
    both per document: the others are still read. `on_each` is called after each document
    (at lexoffice's 2 requests/s, a first run over 1,000 documents takes ~8 minutes).
    """
    fetched = FetchedDocuments()
    for lexoffice_id, document_type in listed:
        try:
            document = get_document(client, lexoffice_id, DocumentType(document_type))
        except (LexofficeError, pydantic.ValidationError) as error:
            fetched.failures[lexoffice_id] = why_unread(error)
        else:
            fetched.documents[lexoffice_id] = document
        on_each()
    return fetched


def why_unread(error: Exception) -> str:
    """Why a document could not be read, in the words of the report."""
    if isinstance(error, RetryLaterError):
        return (
            f"lexoffice antwortete nicht rechtzeitig (der nächste Lauf versucht es wieder): {error}"
        )
    if isinstance(error, LexofficeError):
        return f"konnte nicht aus lexoffice gelesen werden: {error}"
    return f"lexoffice schickte ihn in einer Form, die lexsync nicht lesen kann: {error}"


def get_document(
    client: LexofficeClient, lexoffice_id: str, document_type: DocumentType
) -> Document:
    if document_type == DocumentType.ORDER_CONFIRMATION:
        return client.get_order_confirmation(lexoffice_id)
    return client.get_delivery_note(lexoffice_id)
