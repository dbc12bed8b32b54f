"""The document import's Prefect tasks: thin wrappers over the plain functions of this package.

A run is six task runs whatever the number of documents. Tasks that take a client or the
session factory, or that write, use NO_CACHE; none retries (the client retries each request).
`import_planned_documents` is the import's second half, shared by the full import
(`flows/documents.py`) and the live one (`live.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import DocumentType
from connectors.fieldservice.queries import document_import_rows, get_cursors, set_cursor
from connectors.lexoffice.client import LexofficeClient
from tasks.documents.changes import report_changes
from tasks.documents.customers import (
    AddressPreview,
    describe_address_customer_exports,
    export_address_customers,
    import_missing_contacts,
    linked_customers,
    uses_address,
)
from tasks.documents.extract import FetchedDocuments, fetch_documents, list_documents
from tasks.documents.load import LoadContext, import_projects, section
from tasks.documents.plan import (
    KNOWN_COLUMNS,
    ImportPlan,
    listing_start,
    next_cursors,
    oldest_failures,
    plan_imports,
    records,
)
from tasks.progress import Progress
from tasks.report import RunReport
from tasks.run import Run
from tasks.settings import DocumentImport, SyncSettings

DOCUMENT_TYPES = {
    DocumentImport.NONE: (),
    DocumentImport.ORDER_CONFIRMATIONS: (DocumentType.ORDER_CONFIRMATION,),
    DocumentImport.DELIVERY_NOTES: (DocumentType.DELIVERY_NOTE,),
    DocumentImport.BOTH: (DocumentType.ORDER_CONFIRMATION, DocumentType.DELIVERY_NOTE),
}
T = TypeVar("T")


@dataclass
class AddressCustomers:
    """The customers a load made from documents' addresses: their ids, or in a dry run the
    column values of those it would make (with stand-in ids)."""

    ids: list[int] = field(default_factory=list)
    planned: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ids or self.planned)


@dataclass
class ImportState:
    """What earlier runs left: the documents handled (a frame) and the cursors."""

    known: pd.DataFrame
    cursors: dict[DocumentType, dt.datetime] = field(default_factory=dict)
    document_types: tuple[DocumentType, ...] = ()

    def starts(self) -> dict[DocumentType, dt.date | None]:
        """Per document type, the day to list from (None: everything)."""
        failures = oldest_failures(self.known)
        return {
            kind: listing_start(self.cursors.get(kind), failures.get(kind))
            for kind in self.document_types
        }


def document_types(setting: DocumentImport) -> tuple[DocumentType, ...]:
    """The document types the connection's document-import setting asks for."""
    return DOCUMENT_TYPES[setting]


def read_state(session: Session, connection: str, kinds: tuple[DocumentType, ...]) -> ImportState:
    rows = document_import_rows(session, kinds)
    known = pd.DataFrame(rows, columns=[*KNOWN_COLUMNS, "document_type"])
    known["lexoffice_id"] = known["lexoffice_id"].map(str)
    cursors = {k: v for k, v in get_cursors(session, connection).items() if k in kinds}
    return ImportState(known, cursors, kinds)


@task(cache_policy=NO_CACHE)
def read_import_state(
    sessions: sessionmaker[Session], connection: str, kinds: tuple[DocumentType, ...]
) -> ImportState:
    """The documents imported (or failed) before, and where listing starts."""
    with sessions.begin() as session:
        return read_state(session, connection, kinds)


@task(cache_policy=NO_CACHE)
def list_lexoffice_documents(client: LexofficeClient, state: ImportState) -> pd.DataFrame:
    """The voucherlist entries of each document type since its start day."""
    return list_documents(client, state.starts())


@task(cache_policy=NO_CACHE)
def plan_document_imports(
    listing: pd.DataFrame, state: ImportState, include_drafts: bool, report: RunReport
) -> ImportPlan:
    """New documents to import, changed ones to report; counts the rest in the report."""
    plan = plan_imports(listing, state.known, include_drafts)
    for kind in state.document_types:
        counts = plan.counts(kind)
        target = section(report, kind)
        target.count("unchanged", counts["unchanged"])
        target.count("skipped", counts["skipped"])
    return plan


@task(cache_policy=NO_CACHE)
def fetch_lexoffice_documents(client: LexofficeClient, plan: ImportPlan) -> FetchedDocuments:
    """Each document to import or to compare, read whole (line items, texts, totals)."""
    wanted = pd.concat([plan.creates, plan.changed])
    progress = Progress(len(wanted), "Reading lexoffice documents")
    listed = zip(wanted["lexoffice_id"], wanted["document_type"], strict=True)
    return fetch_documents(client, listed, progress.advance)


@task(cache_policy=NO_CACHE)
def import_customers(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    plan: ImportPlan,
    fetched: FetchedDocuments,
    run_id: str,
    report: RunReport,
    dry_run: bool,
    planned_links: dict[str, int] | None = None,
) -> dict[str, int]:
    """The local customer of every linked contact; missing contacts are imported first.

    `planned_links`: in a dry run, the links an earlier step of the run would have made."""
    wanted = contacts_wanted(plan, fetched)
    with sessions.begin() as session:
        customers = linked_customers(session, wanted)
    if dry_run and planned_links:
        customers |= {c: planned_links[c] for c in wanted if c in planned_links}
    missing = sorted(set(wanted) - set(customers))
    imported = import_missing_contacts(
        sessions, client, settings, missing, run_id, report, dry_run
    )  # a dry run reports the same import and writes nothing
    return customers | imported


def contacts_wanted(plan: ImportPlan, fetched: FetchedDocuments) -> list[str]:
    """The lexoffice contacts of the documents to import (not the collective contact)."""
    wanted = []
    for row in records(plan.creates):
        document = fetched.documents.get(row.lexoffice_id)
        contact = row.contact_id if isinstance(row.contact_id, str) else None
        if document is not None and not uses_address(contact, document):
            wanted.append(str(contact))
    return wanted


@task(cache_policy=NO_CACHE)
def load_documents(
    sessions: sessionmaker[Session],
    connection: str,
    plan: ImportPlan,
    listing: pd.DataFrame,
    state: ImportState,
    context: LoadContext,
    report: RunReport,
) -> AddressCustomers:
    """Create the projects, report changes and failures, move the cursors: one transaction.

    Returns the customers made from documents' addresses (a dry run: would make)."""
    if context.dry_run:
        with sessions.begin() as session:
            preview = AddressPreview(session)
            made = import_projects(None, plan.creates, context, report, preview)
            report_changes(session, plan.changed, context.fetched, report, dry_run=True)
        return AddressCustomers(planned=[preview.planned[i] for i in made])
    with sessions.begin() as session:
        ids = import_projects(session, plan.creates, context, report)
        report_changes(session, plan.changed, context.fetched, report, dry_run=False)
        for kind, last in next_cursors(listing, state.cursors).items():
            set_cursor(session, connection, kind, last)
    return AddressCustomers(ids=ids)


@task(cache_policy=NO_CACHE)
def export_document_customers(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    customers: AddressCustomers,
    run_id: str,
    report: RunReport,
) -> None:
    """Customers made from addresses go to lexoffice in the same run (linked, numbered); a
    dry run reports what exporting those it would make would do."""
    export_address_customers(sessions, client, settings, customers.ids, run_id, report)
    describe_address_customer_exports(sessions, client, settings, customers.planned, report)


def import_planned_documents(
    run: Run,
    plan: ImportPlan,
    fetched: FetchedDocuments,
    load: Callable[[LoadContext], AddressCustomers],
) -> None:
    """Import the planned documents: their missing customers first, then `load` makes the
    projects; customers made from addresses go to lexoffice in the same run."""
    customers = import_customers(
        run.sessions,
        run.client,
        run.settings,
        plan,
        _quoted(fetched),
        run.run_id,
        run.report,
        run.dry_run,
        run.planned_links,
    )
    made = load(_quoted(LoadContext(fetched, customers, run.run_id, run.dry_run)))
    if made:  # exported now, so that the next run has nothing left to do for them
        export_document_customers(
            run.sessions, run.client, run.settings, made, run.run_id, run.report
        )


def _quoted(value: T) -> T:
    """The value, passed to a task without Prefect walking every document in it."""
    return cast(T, quote(value))
