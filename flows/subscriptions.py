"""The webhook subscriptions of one connection, made sure of (`lexsync subscribe`)."""

from __future__ import annotations

from prefect import flow

from flows.parameters import connection_parameter, parameter
from tasks.report import RunReport
from tasks.run import Frame, Run, run_job
from tasks.subscriptions import ensure_event_subscriptions


@flow(name="webhook-subscriptions")
def ensure_subscriptions_flow(
    callback_url: str = parameter(
        "Öffentliche Adresse des Empfängers",
        "HTTPS-Adresse, an die lexoffice die Ereignisse schickt, z. B. "
        "https://lexsync.example.de/webhooks/lexoffice.",
    ),
    connection: str = connection_parameter(),
) -> RunReport:
    """Make sure lexoffice sends `callback_url` exactly the events the settings need.

    Contact events while customers are imported, article events while products or
    activities are, the document events of the types the document import takes, and the
    invoice and payment events. Lists the connection's subscriptions, creates the missing ones
    (also those lexoffice dropped after failed deliveries or a key change; 409 counts as
    present) and deletes those of a switched-off import. The report shows each event type as
    present, created, deleted or failed (with lexoffice's reason, e.g. the
    URL is not HTTPS or did not answer lexoffice's HEAD probe). Writes neither the system
    database nor lexoffice records, so it takes no company lock.
    """
    title = f"Webhook subscriptions of {connection} for {callback_url}"

    def steps(run: Run) -> None:
        ensure_event_subscriptions(run.client, callback_url, run.report, run.settings)

    frame = Frame(system=False, lock=False)
    return run_job(connection, "webhook-subscriptions", title, steps, frame)
