"""`lexsync subscribe --callback-url URL`: make sure lexoffice sends contact events there.

Exit 0 when all three subscriptions (contact.created, .changed, .deleted) are present
afterwards, 1 when one could not be created (the report says why), 2 for a configuration error.
"""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_support import add_connection_argument


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "subscribe",
        help="dafür sorgen, dass lexoffice Kontakt-Ereignisse an den Webhook-Empfänger sendet",
    )
    parser.add_argument(
        "--callback-url",
        required=True,
        help="die öffentliche HTTPS-URL des Empfängers, "
        "z. B. https://lexsync.example.de/webhooks/lexoffice",
    )
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from deployments.cli_lexoffice import profile_of
    from deployments.cli_outcome import report_failure, run_flow
    from deployments.cli_support import load
    from flows.subscriptions import ensure_subscriptions_flow
    from tasks.report import render_markdown

    profile_of(load(args.connection))  # name, settings and key checked before the run
    outcome = run_flow(ensure_subscriptions_flow, args.callback_url, args.connection)
    if outcome.failure is not None or outcome.result is None:
        return report_failure(outcome)
    print(render_markdown(outcome.result))
    return outcome.exit_code
