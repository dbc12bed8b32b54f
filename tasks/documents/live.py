"""Documents live: an order-confirmation or delivery-note event imports that one document.

The same steps as the document import of the full sync (`flows/documents.py`), fed with the
named documents instead of the voucherlist: each is read once (its GET gives everything the
listing would), planned against the documents handled before (exactly once: one project per
document; drafts only with `import_draft_documents`, so a draft finalized later arrives with
its status event), its missing customer imported first, the project made or the change
reported. The cursors are left alone: they belong to the full sync's listing, which stays
the safety net for missed events. Types the `document_import` setting leaves out are dropped
unread.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import DocumentType
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import LexofficeError, NotFoundError
from connectors.lexoffice.models import VoucherlistEntry
from tasks.documents.changes import report_changes
from tasks.documents.extract import (
    VOUCHER_TYPES,
    FetchedDocuments,
    get_document,
    listing_row,
    why_unread,
)
from tasks.documents.load import LoadContext, import_projects, section
from tasks.documents.mapping import Document
from tasks.documents.plan import LISTING_COLUMNS, ImportPlan
from tasks.documents.steps import (
    AddressCustomers,
    document_types,
    import_planned_documents,
    plan_document_imports,
    read_import_state,
)
from tasks.report import RunReport
from tasks.run import Run

DocumentRef = tuple[str, DocumentType]


def import_named_documents(run: Run, named: Iterable[DocumentRef]) -> None:
    """Import (or report the change of) each named document the settings ask for."""
    kinds = document_types(run.settings.document_import)
    wanted = sorted({(i, kind) for i, kind in named if kind in kinds})
    dropped = [kind for _, kind in named if kind not in kinds]
    for kind in dropped:
        section(run.report, kind).count("not imported (switched off)")
    if not wanted:
        return
    state = read_import_state(run.sessions, run.connection_name, kinds)
    fetched = read_named_documents(run.client, wanted, run.report)
    listing = listed_as_the_voucherlist_would(fetched, dict(wanted))
    plan = plan_document_imports(listing, state, run.settings.import_draft_documents, run.report)

    def load(context: LoadContext) -> AddressCustomers:  # the projects; cursors untouched
        return load_named_documents(run.sessions, plan, context, run.report)

    import_planned_documents(run, plan, fetched, load)


@task(cache_policy=NO_CACHE)
def read_named_documents(
    client: LexofficeClient, wanted: list[DocumentRef], report: RunReport
) -> FetchedDocuments:
    """One GET per document; one gone from lexoffice (deleted) is counted, its project kept;
    one that cannot be read is a failure, recorded and retried as in the full import."""
    fetched = FetchedDocuments()
    for lexoffice_id, kind in wanted:
        try:
            fetched.documents[lexoffice_id] = get_document(client, lexoffice_id, kind)
        except NotFoundError:
            section(report, kind).count("not in lexoffice (any more)")
        except LexofficeError as error:
            fetched.failures[lexoffice_id] = why_unread(error)
    return fetched


def listed_as_the_voucherlist_would(
    fetched: FetchedDocuments, kinds: dict[str, DocumentType]
) -> pd.DataFrame:
    """The listing rows the voucherlist would show for these documents."""
    rows = [
        listing_row(_entry(document, kinds[lexoffice_id]), kinds[lexoffice_id])
        for lexoffice_id, document in fetched.documents.items()
    ]
    rows += [_unreadable_row(failed, kinds[failed]) for failed in fetched.failures]
    return pd.DataFrame(rows, columns=list(LISTING_COLUMNS))


def _entry(document: Document, kind: DocumentType) -> VoucherlistEntry:
    address = document.address
    return VoucherlistEntry(
        id=str(document.id),
        voucher_type=VOUCHER_TYPES[kind],
        voucher_status=document.voucher_status or "draft",
        voucher_number=document.voucher_number,
        voucher_date=document.voucher_date,
        updated_date=document.updated_date,
        contact_id=address.contact_id if address else None,
        contact_name=address.name if address else None,
    )


def _unreadable_row(lexoffice_id: str, kind: DocumentType) -> dict[str, object]:
    """A document that could not be read is planned like a listed one, so that its failure
    is recorded (and retried by the full sync) as in the full import."""
    return {
        "lexoffice_id": lexoffice_id,
        "document_type": kind.value,
        "voucher_status": "open",
        "voucher_number": None,
        "voucher_date": None,
        "contact_id": None,
        "contact_name": None,
        "updated_at": None,
    }


@task(cache_policy=NO_CACHE)
def load_named_documents(
    sessions: sessionmaker[Session], plan: ImportPlan, context: LoadContext, report: RunReport
) -> AddressCustomers:
    """Create the projects and report the changes in one transaction (cursors untouched);
    returns the customers made from documents' addresses."""
    with sessions.begin() as session:
        made = import_projects(session, plan.creates, context, report)
        report_changes(session, plan.changed, context.fetched, report, dry_run=False)
    return AddressCustomers(ids=made)
