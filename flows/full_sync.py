"""The full sync: everything a connection has switched on, in one run (what the schedule runs)."""

from __future__ import annotations

from prefect import flow

from deployments.connection import load_connection
from flows.documents import import_documents
from flows.master_data import sync_master_data
from tasks.report import RunReport
from tasks.settings import DirectionOverrides, DocumentImport


@flow(name="full-sync")
def full_sync(
    connection: str = "default",
    dry_run: bool = False,
    directions: DirectionOverrides | None = None,
) -> RunReport:
    """Customers, products and activities both ways, then lexoffice documents as projects.

    Master data comes first, so that a document's customer is already in the system.
    """
    report = RunReport(f"Full sync of {connection}", dry_run=dry_run)
    master = sync_master_data(connection=connection, dry_run=dry_run, directions=directions)
    report.extend(master)
    if load_connection(connection).settings.document_import != DocumentImport.NONE:
        report.extend(import_documents(connection=connection, dry_run=dry_run))
    return report
