"""The full sync: everything a connection has switched on, in one run (what the schedule runs)."""

from __future__ import annotations

from prefect import flow

from deployments.connection import load_active_connection
from flows.connection_lock import connection_lock
from flows.documents import import_documents
from flows.master_data import sync_master_data
from flows.parameters import connection_parameter, directions_parameter, dry_run_parameter
from flows.process import freeze_imported_objects
from flows.subscriptions import ensure_subscriptions_flow
from tasks.report import RunReport
from tasks.settings import DirectionOverrides, DocumentImport


@flow(name="full-sync")
def full_sync(
    connection: str = connection_parameter(),
    dry_run: bool = dry_run_parameter(),
    directions: DirectionOverrides | None = directions_parameter(),
) -> RunReport:
    """Customers, products and activities both ways, then lexoffice documents as projects.

    Master data comes first, so that a document's customer is already in the system. With a
    webhook callback URL configured, the contact subscriptions are checked (and re-created if
    lexoffice dropped them): the nightly run is the safety net for missed webhooks.
    """
    freeze_imported_objects()
    conn = load_active_connection(connection)
    report = RunReport(f"Full sync of {connection}", dry_run=dry_run)
    with connection_lock(connection):
        master = sync_master_data(connection=connection, dry_run=dry_run, directions=directions)
        report.extend(master)
        if conn.settings.document_import != DocumentImport.NONE:
            report.extend(import_documents(connection=connection, dry_run=dry_run))
    if conn.webhook_callback_url and not dry_run:
        report.extend(ensure_subscriptions_flow(conn.webhook_callback_url, connection))
    return report
