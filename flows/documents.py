"""The document import: lexoffice order confirmations and delivery notes become projects."""

from __future__ import annotations

from prefect import flow

from flows.parameters import connection_parameter, dry_run_parameter
from tasks.documents.load import LoadContext
from tasks.documents.steps import (
    AddressCustomers,
    document_types,
    fetch_lexoffice_documents,
    import_planned_documents,
    list_lexoffice_documents,
    load_documents,
    plan_document_imports,
    read_import_state,
)
from tasks.report import RunReport
from tasks.run import Frame, Run, run_job

DOCUMENTS_PART = "documents"


@flow(name="document-import")
def import_documents(
    connection: str = connection_parameter(), dry_run: bool = dry_run_parameter()
) -> RunReport:
    """Import new order confirmations (Auftragsbestätigungen) and delivery notes (Lieferscheine).

    The connection's `document_import` setting says which types, `import_draft_documents`
    whether drafts too. Per type: list the voucherlist since the cursor (minus an overlap) →
    plan against the documents imported before → read the new and the changed documents →
    import their missing contacts first → create one project per new document, report changed
    documents (never applied) and failures, move the cursors. `dry_run` writes nothing.
    """
    title = f"Document import of {connection}"
    frame = Frame(dry_run=dry_run)
    return run_job(connection, "document-import", title, import_document_types, frame)


def import_document_types(run: Run) -> None:
    """The import of every switched-on document type; a part of the run of its own."""
    kinds = document_types(run.settings.document_import)
    if not kinds:
        return
    with run.part(DOCUMENTS_PART):
        state = read_import_state(run.sessions, run.connection_name, kinds)
        listing = list_lexoffice_documents(run.client, state)
        plan = plan_document_imports(
            listing, state, run.settings.import_draft_documents, run.report
        )
        fetched = fetch_lexoffice_documents(run.client, plan)

        def load(context: LoadContext) -> AddressCustomers:  # the projects, and the cursors
            return load_documents(
                run.sessions, run.connection_name, plan, listing, state, context, run.report
            )

        import_planned_documents(run, plan, fetched, load)
