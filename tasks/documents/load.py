"""Writing the plan: new projects, failures with their reason, changes reported, cursors.

Every document is created in its own savepoint: one that fails (no customer, refused by a
database rule, imported meanwhile by another run) is rolled back alone, written down as
`failed` with its reason (and tried again next run), and the others go on. A dry run makes the
same decisions (reading the database for customers to reuse) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models import (
    DocumentImportStatus,
    DocumentType,
    JournalEntity,
    Project,
    SyncAction,
    SyncDirection,
)
from connectors.fieldservice.queries import add, save_document_import
from tasks.database_refusal import database_refusal
from tasks.documents.customers import AddressPreview, address_customer, uses_address
from tasks.documents.extract import FetchedDocuments
from tasks.documents.mapping import (
    Document,
    UnmappableDocumentError,
    draft_project,
)
from tasks.documents.plan import records
from tasks.report import Problem, RunReport, SectionReport
from tasks.sync.journal import journal

DIRECTION = "lexoffice → system"
ENTITIES = {
    DocumentType.ORDER_CONFIRMATION: "order confirmations",
    DocumentType.DELIVERY_NOTE: "delivery notes",
}
SOURCES = {
    DocumentType.ORDER_CONFIRMATION: "Auftragsbestätigung",
    DocumentType.DELIVERY_NOTE: "Lieferschein",
}


@dataclass(frozen=True)
class LoadContext:
    """What every document of one load needs besides itself."""

    fetched: FetchedDocuments
    customers: dict[str, int]  # lexoffice contact id → local customer id
    run_id: str
    dry_run: bool


def section(report: RunReport, document_type: DocumentType | str) -> SectionReport:
    return report.section(ENTITIES[DocumentType(document_type)], DIRECTION)


def record_label(row: Any) -> str:
    """How a person recognises a document: "AB0042 (Muster GmbH)" or "Entwurf 3f2a… (…)"."""
    number = row.voucher_number if isinstance(row.voucher_number, str) else None
    name = number or f"Entwurf {str(row.lexoffice_id)[:8]}…"
    customer = row.contact_name if isinstance(row.contact_name, str) else None
    return f"{name} ({customer})" if customer else name


def import_projects(
    session: Session | None,
    creates: pd.DataFrame,
    context: LoadContext,
    report: RunReport,
    preview: AddressPreview | None = None,
) -> list[int]:
    """Create a project for each planned document; report each failure with its reason.

    Returns the ids of the customers made from a document's address (to be exported). A dry
    run (no session) decides the customers with `preview` and returns its stand-in ids."""
    made: list[int] = []
    for row in records(creates):
        target = section(report, row.document_type)
        try:
            with _savepoint(session):
                new_customer = _import_one(session, row, context, preview)
        except (UnmappableDocumentError, InvalidRecordError, SQLAlchemyError) as error:
            reason = _reason(error)
            target.add_problem(Problem("error", record_label(row), reason))
            if session is not None:
                _save_failure(session, row, reason, context.run_id)
        else:
            target.count("created")
            if new_customer is not None:
                made.append(new_customer)
                target.count("customers created from the address")
    return made


def _savepoint(session: Session | None) -> AbstractContextManager[Any]:
    return session.begin_nested() if session is not None else nullcontext()


def _import_one(
    session: Session | None, row: Any, context: LoadContext, preview: AddressPreview | None
) -> int | None:
    """The document's project; returns the id of a customer made from its address, if any."""
    failure = context.fetched.failures.get(row.lexoffice_id)
    if failure is not None:
        raise UnmappableDocumentError(failure)
    document = context.fetched.documents[row.lexoffice_id]
    document_type = DocumentType(row.document_type)
    draft = draft_project(document, document_type)
    contact_id = row.contact_id if isinstance(row.contact_id, str) else None
    if session is None:  # dry run: the same decisions, nothing written
        return _preview_customer(document, contact_id, context, document_type, preview)
    customer_id, made = _customer_id(session, document, contact_id, context, document_type)
    project = add(
        session,
        Project(
            name=draft.name,
            customer_id=customer_id,
            order_sum=draft.order_sum,
            description=draft.description,
            origin=draft.origin,
            lexoffice_id=draft.lexoffice_id,
            lexoffice_voucher_number=draft.lexoffice_voucher_number,
        ),
    )
    save_document_import(
        session,
        draft.lexoffice_id,
        _import_values(document, row, context.run_id)
        | {"status": DocumentImportStatus.IMPORTED, "project_id": project.id, "reason": None},
    )
    _journal_project(session, project, context.run_id)
    return customer_id if made else None


def _journal_project(session: Session, project: Project, run_id: str) -> None:
    """The project in the sync journal, like every record a sync creates."""
    after = {
        "name": project.name,
        "customer_id": project.customer_id,
        "order_sum": str(project.order_sum) if project.order_sum is not None else None,
        "lexoffice_voucher_number": project.lexoffice_voucher_number,
    }
    journal(
        session,
        run_id,
        JournalEntity.PROJECT,
        SyncDirection.IMPORT,
        SyncAction.CREATE,
        local_id=project.id,
        lexoffice_id=str(project.lexoffice_id) if project.lexoffice_id else None,
        before=None,
        after=after,
    )


def _customer_id(
    session: Session,
    document: Document,
    contact_id: str | None,
    context: LoadContext,
    document_type: DocumentType,
) -> tuple[int, bool]:
    if uses_address(contact_id, document):
        source = _source(document, document_type)
        return address_customer(session, document, source, context.run_id)
    return _contact_customer(contact_id, context), False


def _contact_customer(contact_id: str | None, context: LoadContext) -> int:
    customer_id = context.customers.get(str(contact_id))
    if customer_id is None:
        raise UnmappableDocumentError(
            f"sein lexoffice-Kontakt {contact_id} konnte nicht zuerst als Kunde importiert "
            "werden (siehe Abschnitt Kunden dieses Berichts)"
        )
    return customer_id


def _preview_customer(
    document: Document,
    contact_id: str | None,
    context: LoadContext,
    document_type: DocumentType,
    preview: AddressPreview | None,
) -> int | None:
    """Dry run: the stand-in id of a customer the document's address would make, if any."""
    if not uses_address(contact_id, document):
        _contact_customer(contact_id, context)
        return None
    assert preview is not None, "a dry run decides a document's customer with a preview"
    customer_id, made = preview.customer(document, _source(document, document_type))
    return customer_id if made else None


def _source(document: Document, document_type: DocumentType) -> str:
    return f"{SOURCES[document_type]} {document.voucher_number or 'Entwurf'}"


def _import_values(document: Document, row: Any, run_id: str) -> dict[str, Any]:
    return {
        "document_type": DocumentType(row.document_type),
        "voucher_number": document.voucher_number,
        "lexoffice_version": document.version,
        "lexoffice_updated_at": document.updated_date or _timestamp(row.updated_at),
        "run_id": run_id,
    }


def _save_failure(session: Session, row: Any, reason: str, run_id: str) -> None:
    lexoffice_id = uuid.UUID(row.lexoffice_id)
    save_document_import(
        session,
        lexoffice_id,
        {
            "document_type": DocumentType(row.document_type),
            "voucher_number": row.voucher_number if isinstance(row.voucher_number, str) else None,
            "status": DocumentImportStatus.FAILED,
            "lexoffice_updated_at": _timestamp(row.updated_at),
            "reason": reason,
            "run_id": run_id,
        },
    )


def _timestamp(value: Any) -> dt.datetime | None:
    if value is None or pd.isna(value):
        return None
    moment: dt.datetime = pd.Timestamp(value).to_pydatetime()
    return moment


def _reason(error: Exception) -> str:
    # An IntegrityError most likely means another run imported it at the same moment (the
    # next run will know); other refusals are e.g. a value too long for its column.
    if isinstance(error, SQLAlchemyError):
        return f"die Datenbank lehnte das Projekt ab: {database_refusal(error)}"
    return str(error)
