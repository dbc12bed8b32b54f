"""Customers changed in lexoffice, synced as their webhook events arrive (deployment
"customer-events"; started by the webhook receiver, `lexsync receiver`)."""

from __future__ import annotations

import uuid

from prefect import flow
from prefect.runtime import flow_run

from deployments.connection import load_active_connection
from flows.connection_lock import connection_lock
from flows.parameters import connection_parameter, parameter
from flows.process import freeze_imported_objects
from tasks.publish import publish_report
from tasks.report import RunReport
from tasks.resources import lexoffice_client, system_sessions
from tasks.schema import check_system_database
from tasks.webhook_events import (
    import_changed_contacts,
    mark_deleted_contacts,
    mark_events_processed,
)


@flow(name="customer-events")
def sync_contacts(
    contact_ids: list[str] = parameter(
        "Geänderte Kontakte",
        "IDs der in lexoffice angelegten oder geänderten Kontakte (aus den Webhooks).",
    ),
    connection: str = connection_parameter(),
    deleted_ids: list[str] | None = parameter(
        "Gelöschte Kontakte",
        "IDs der in lexoffice gelöschten Kontakte; ihre Kunden bleiben im System erhalten.",
        None,
    ),
    batch_id: str | None = parameter(
        "Stapel des Empfängers",
        "Vom Webhook-Empfänger gesetzt: seine gespeicherten Ereignisse dieses Laufs.",
        None,
    ),
) -> RunReport:
    """Bring these lexoffice contacts into the system now, with the full sync's rules.

    `contact_ids` (created or changed): each is read from lexoffice (an event carries only the
    id) and applied exactly as the full sync would — mapping, import switch, conflict policy;
    an echo of lexsync's own write finds nothing to do. `deleted_ids`: the system customer is
    kept and its link marked deleted_in_lexoffice (journalled). `batch_id`: the receiver's
    stored events of this run, marked processed at the end. Missed events are caught by the
    nightly full sync.
    """
    freeze_imported_objects()
    conn = load_active_connection(connection)
    check_system_database(conn.database_url)
    sessions = system_sessions(conn.database_url)
    report = RunReport(f"Customer events of {connection}")
    run_id = str(flow_run.id or uuid.uuid4())
    deleted = sorted(set(deleted_ids or []))
    changed = sorted(set(contact_ids) - set(deleted))
    # Batches of one company never overlap (they write the same links); other companies'
    # batches and this company's full sync run alongside.
    with connection_lock(connection, kind="events"):
        if changed:
            with lexoffice_client(conn.lexoffice_settings()) as client:
                import_changed_contacts(sessions, client, conn.settings, changed, run_id, report)
        if deleted:
            mark_deleted_contacts(sessions, deleted, run_id, report)
        if batch_id:
            mark_events_processed(sessions, batch_id)
    publish_report(report, key=f"customer-events-{connection}")
    return report
