"""`lexsync subscribe --callback-url URL`: make sure lexoffice sends contact events there.

Exit 0 when all three subscriptions (contact.created, .changed, .deleted) are present
afterwards, 1 when one could not be created (the report says why), 2 for a configuration error.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "subscribe", help="make sure lexoffice sends contact events to the webhook receiver"
    )
    parser.add_argument(
        "--callback-url",
        required=True,
        help="the receiver's public HTTPS URL, e.g. https://lexsync.example.de/webhooks/lexoffice",
    )
    parser.add_argument("--connection", default="default", help="the connection (company)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from flows.subscriptions import ensure_subscriptions_flow
    from tasks.connection import MissingApiKeyError
    from tasks.report import render_markdown

    try:
        report = ensure_subscriptions_flow(args.callback_url, args.connection)
    except MissingApiKeyError as error:
        print(f"lexsync subscribe: {error}")
        return 2
    print(render_markdown(report))
    return 1 if report.failed else 0
