"""Customers, products and activities changed in lexoffice, synced as their webhook events
arrive (deployment "customer-events"; started by the webhook receiver, `lexsync receiver`)."""

from __future__ import annotations

from prefect import flow

from connectors.fieldservice.models import DocumentType
from flows.parameters import connection_parameter, parameter
from tasks.documents.live import import_named_documents
from tasks.invoice_status import update_invoice_states
from tasks.report import RunReport
from tasks.run import Frame, Run, run_job
from tasks.webhook_events import (
    import_changed_articles,
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
    article_ids: list[str] | None = parameter(
        "Geänderte Artikel",
        "IDs der in lexoffice angelegten, geänderten oder gelöschten Artikel (aus den Webhooks).",
        None,
    ),
    invoice_ids: list[str] | None = parameter(
        "Rechnungen",
        "IDs der Rechnungen aus Rechnungs- und Zahlungs-Webhooks; nur von lexsync erstellte "
        "werden gelesen.",
        None,
    ),
    order_confirmation_ids: list[str] | None = parameter(
        "Auftragsbestätigungen",
        "IDs aus Auftragsbestätigungs-Webhooks; je eine wird als Projekt importiert "
        "(Einstellung Belegimport).",
        None,
    ),
    delivery_note_ids: list[str] | None = parameter(
        "Lieferscheine",
        "IDs aus Lieferschein-Webhooks; je einer wird als Projekt importiert "
        "(Einstellung Belegimport).",
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
    stored events of this run, marked processed at the end. `article_ids` (created, changed
    or deleted): each is read once and applied to its product or activity exactly as the
    full sync would; a deleted article keeps its system record, its link is marked.
    `invoice_ids`: for each invoice lexsync created, its number, status, open amount and
    paid date are read and kept on the work report (tasks/invoice_status.py).
    `order_confirmation_ids`, `delivery_note_ids`: each document the document-import setting
    asks for is imported as a project, exactly once (tasks/documents/live.py). Missed
    events are caught by the nightly full sync. A batch holds the company's write lock, so
    it waits while the company's full sync runs (its events stay stored until then).
    """
    deleted = sorted(set(deleted_ids or []))
    changed = sorted(set(contact_ids) - set(deleted))
    articles = sorted(set(article_ids or []))
    invoices = sorted(set(invoice_ids or []))
    documents = [(i, DocumentType.ORDER_CONFIRMATION) for i in order_confirmation_ids or []]
    documents += [(i, DocumentType.DELIVERY_NOTE) for i in delivery_note_ids or []]
    title = f"Customer events of {connection}"

    def steps(run: Run) -> None:
        if changed:
            import_changed_contacts(
                run.sessions, run.client, run.settings, changed, run.run_id, run.report
            )
        if articles:
            import_changed_articles(
                run.sessions, run.client, run.settings, articles, run.run_id, run.report
            )
        if invoices:
            update_invoice_states(run.sessions, run.client, invoices, run.report)
        if documents:
            import_named_documents(run, documents)
        if deleted:
            mark_deleted_contacts(run.sessions, deleted, run.run_id, run.report)
        if batch_id:
            mark_events_processed(run.sessions, batch_id)

    frame = Frame(lexoffice=bool(changed or articles or invoices or documents))
    return run_job(connection, "customer-events", title, steps, frame)
