"""The full sync: everything a connection has switched on, in one run (what the schedule runs)."""

from __future__ import annotations

from prefect import flow

from flows.documents import import_document_types
from flows.master_data import sync_entities
from flows.parameters import connection_parameter, directions_parameter, dry_run_parameter
from tasks.invoice_reconcile import reconcile_invoice_states
from tasks.report import RunReport
from tasks.run import Frame, Run, run_job
from tasks.settings import DirectionOverrides
from tasks.subscriptions import ensure_event_subscriptions
from tasks.sync.entities import ENTITY_NAMES

SUBSCRIPTIONS_PART = "event subscriptions"
INVOICES_PART = "invoices"


@flow(name="full-sync")
def full_sync(
    connection: str = connection_parameter(),
    dry_run: bool = dry_run_parameter(),
    directions: DirectionOverrides | None = directions_parameter(),
) -> RunReport:
    """Customers, products and activities both ways, then lexoffice documents as projects.

    Master data comes first, so that a document's customer is already in the system. With a
    webhook callback URL configured, the contact subscriptions are checked (and re-created if
    lexoffice dropped them): the nightly run is the safety net for missed webhooks. Each
    entity, the document import, the invoice states (what became of lexsync's invoices) and
    the subscription check is a part of its own: one that
    fails is reported, the others still run. This run carries the whole report.
    """

    def steps(run: Run) -> None:
        sync_entities(run, ENTITY_NAMES, directions)
        import_document_types(run)
        _reconcile_invoices(run)
        _check_subscriptions(run)

    title = f"Full sync of {connection}"
    return run_job(connection, "full-sync", title, steps, Frame(dry_run=dry_run))


def _reconcile_invoices(run: Run) -> None:
    """What became of lexsync's invoices, from the voucherlist (events may have been missed)."""
    if not run.dry_run:
        with run.part(INVOICES_PART, "lexoffice → system"):
            reconcile_invoice_states(run.sessions, run.client, run.connection_name, run.report)


def _check_subscriptions(run: Run) -> None:
    callback_url = run.connection_block.webhook_callback_url
    if callback_url and not run.dry_run:
        with run.part(SUBSCRIPTIONS_PART):
            ensure_event_subscriptions(run.client, callback_url, run.report, run.settings)
