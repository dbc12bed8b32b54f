"""The webhook subscriptions of one connection, made sure of (`lexsync subscribe`)."""

from __future__ import annotations

from prefect import flow

from deployments.connection import load_active_connection
from flows.parameters import connection_parameter, parameter
from tasks.publish import publish_report
from tasks.report import RunReport
from tasks.resources import lexoffice_client
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
    """Make sure lexoffice sends contact.created, .changed and .deleted to `callback_url`.

    Lists the connection's subscriptions, creates the missing ones (also those lexoffice
    dropped after failed deliveries or a key change); 409 counts as present. The report
    shows each event type as present, created or failed (with lexoffice's reason, e.g. the
    URL is not HTTPS or did not answer lexoffice's HEAD probe).
    """
    conn = load_active_connection(connection)
    report = RunReport(f"Webhook subscriptions of {connection} for {callback_url}")
    with lexoffice_client(conn.lexoffice_settings()) as client:
        ensure_event_subscriptions(client, callback_url, report)
    publish_report(report, key=f"webhook-subscriptions-{connection}")
    return report
