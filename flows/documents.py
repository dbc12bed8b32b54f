"""The document import: lexoffice order confirmations and delivery notes become projects."""

from __future__ import annotations

import uuid
from typing import TypeVar, cast

from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from connectors.fieldservice.models import DocumentType
from deployments.connection import LexsyncConnection, load_active_connection
from flows.connection_lock import connection_lock
from flows.process import freeze_imported_objects
from tasks.documents.load import LoadContext
from tasks.documents.steps import (
    document_types,
    export_document_customers,
    fetch_lexoffice_documents,
    import_customers,
    list_lexoffice_documents,
    load_documents,
    plan_document_imports,
    read_import_state,
)
from tasks.publish import publish_report
from tasks.report import RunReport
from tasks.resources import lexoffice_client, system_sessions
from tasks.schema import check_system_database

T = TypeVar("T")


@flow(name="document-import")
def import_documents(connection: str = "default", dry_run: bool = False) -> RunReport:
    """Import new order confirmations (Auftragsbestätigungen) and delivery notes (Lieferscheine).

    The connection's `document_import` setting says which types, `import_draft_documents`
    whether drafts too. Per type: list the voucherlist since the cursor (minus an overlap) →
    plan against the documents imported before → read the new and the changed documents →
    import their missing contacts first → create one project per new document, report changed
    documents (never applied) and failures, move the cursors. `dry_run` writes nothing.
    """
    freeze_imported_objects()
    conn = load_active_connection(connection)
    report = RunReport(f"Document import of {connection}", dry_run=dry_run)
    kinds = document_types(conn.settings.document_import)
    with connection_lock(connection):
        if kinds:
            _import(conn, connection, kinds, dry_run, report)
    publish_report(report, key=f"document-import-{connection}")
    return report


def _import(
    conn: LexsyncConnection,
    connection: str,
    kinds: tuple[DocumentType, ...],
    dry_run: bool,
    report: RunReport,
) -> None:
    check_system_database(conn.database_url)
    sessions = system_sessions(conn.database_url)
    run_id = str(flow_run.id or uuid.uuid4())
    state = read_import_state(sessions, connection, kinds)
    with lexoffice_client(conn.lexoffice_settings()) as client:
        listing = list_lexoffice_documents(client, state)
        plan = plan_document_imports(listing, state, conn.settings.import_draft_documents, report)
        fetched = fetch_lexoffice_documents(client, plan)
        customers = import_customers(
            sessions, client, conn.settings, plan, _quoted(fetched), run_id, report, dry_run
        )
    context = LoadContext(fetched, customers, run_id, dry_run)
    made = load_documents(sessions, connection, plan, listing, state, _quoted(context), report)
    if made:  # customers made from addresses: exported now, so the next run has nothing to do
        with lexoffice_client(conn.lexoffice_settings()) as client:
            export_document_customers(sessions, client, conn.settings, made, run_id, report)


def _quoted(value: T) -> T:
    """The value, passed to a task without Prefect walking every document in it."""
    return cast(T, quote(value))
