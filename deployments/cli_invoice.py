"""`lexsync invoice WORK_REPORT_ID`: the invoice of one completed work report, in this process.

Exit 0 when the invoice is in lexoffice (created now or found from an earlier attempt), 2
when the work report cannot be invoiced (does not exist, not completed, already invoiced, a
rate missing, …) or the configuration is wrong, 1 when sending failed.
"""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_outcome import report_failure, run_flow
from deployments.cli_progress import working
from deployments.cli_support import EXIT_OK, ConfigurationError, add_connection_argument


def register(commands: Any) -> None:
    parser = commands.add_parser("invoice", help="invoice one completed work report now")
    parser.add_argument("work_report_id", type=int, metavar="WORK_REPORT_ID")
    parser.add_argument(
        "--finalize", action="store_true", help="finalize it (default: a draft in lexoffice)"
    )
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from deployments.cli_sync import prepare
    from flows.invoice import create_invoice

    connection, _ = prepare(args.connection)
    require_invoiceable(connection.database_url, args.work_report_id)
    with working(f"Rechnung für Arbeitsnachweis {args.work_report_id}"):
        outcome = run_flow(
            create_invoice, args.work_report_id, args.connection, finalize=args.finalize
        )
    if outcome.failure is not None or outcome.result is None:
        return report_failure(outcome)
    print(render_result(args.work_report_id, outcome.result))
    return EXIT_OK


def require_invoiceable(database_url: str, work_report_id: int) -> None:
    """ConfigurationError (exit 2) for a work report that does not exist or is not ready."""
    from connectors.fieldservice.models import WorkReport
    from tasks.invoicing import preconditions
    from tasks.invoicing.errors import PreconditionError
    from tasks.resources import system_sessions

    with system_sessions(database_url)() as session:
        report = session.get(WorkReport, work_report_id)
        if report is None:
            raise ConfigurationError(
                f"Den Arbeitsnachweis {work_report_id} gibt es in der Datenbank nicht: die "
                "Nummer prüfen (`lexsync status` zeigt die Datenbank)."
            )
        try:
            preconditions.require_invoiceable(report, work_report_id)
        except PreconditionError as refused:
            raise ConfigurationError(
                f"Arbeitsnachweis {work_report_id} kann nicht abgerechnet werden: {refused}"
            ) from None


def render_result(work_report_id: int, result: Any) -> str:
    totals = result.totals
    how = "created now" if result.created_now else "found in lexoffice (an earlier attempt)"
    return "\n".join(
        [
            f"work report {work_report_id}: invoice {how}",
            f"  invoice id: {result.invoice_id}",
            f"  number: {result.voucher_number or '(none: a draft)'}",
            f"  status: {result.voucher_status or '(unknown)'}",
            f"  net {totals.net} + tax {totals.tax} = gross {totals.gross} EUR",
            f"  open in lexoffice: {result.url}",
        ]
    )
