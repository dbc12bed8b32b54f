"""`lexsync invoice WORK_REPORT_ID`: the invoice of one completed work report, in this process.

Exit 0 when the invoice is in lexoffice (created now or found from an earlier attempt), 1
when the work report cannot be invoiced (not completed, already invoiced, a rate missing, …)
or sending failed, 2 for a configuration error.
"""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_progress import working
from deployments.cli_support import EXIT_OK, add_connection_argument
from deployments.cli_sync import report_failure


def register(commands: Any) -> None:
    parser = commands.add_parser("invoice", help="invoice one completed work report now")
    parser.add_argument("work_report_id", type=int, metavar="WORK_REPORT_ID")
    parser.add_argument(
        "--finalize", action="store_true", help="finalize it (default: a draft in lexoffice)"
    )
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from flows.invoice import create_invoice

    try:
        with working(f"invoice for work report {args.work_report_id}"):
            result = create_invoice(args.work_report_id, args.connection, finalize=args.finalize)
    except Exception as failure:
        return report_failure(failure)
    print(render_result(args.work_report_id, result))
    return EXIT_OK


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
