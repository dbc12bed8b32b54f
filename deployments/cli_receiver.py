"""`lexsync receiver`: the webhook receiver, lexsync's only public endpoint.

Serves `POST/HEAD /webhooks/lexoffice` (and the invoice button under `/button`) for every
active connection (or those given with `--connection`): each event goes to the connection of
its organizationId, events of any other organization are refused. lexoffice calls only HTTPS
URLs: run it behind a TLS-terminating proxy and give `lexsync subscribe` the public URL.
Customer flow runs are started through the Prefect server when PREFECT_API_URL is set
(deployment "customer-events"), else in this process.

Stopped by SIGINT or SIGTERM once it listens, it shuts down and exits 0 (a service stopped);
interrupted before it listens, it exits 130 like every other command. Either way nothing it
started is left: the dispatchers, and the temporary Prefect server if it started one.
"""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_support import EXIT_INTERRUPTED, error
from deployments.webhooks.config import CALLBACK_PATH, LEXOFFICE_PUBLIC_KEY_URL, PUBLIC_KEY_ENV

# Where the customer flow runs of the events are started (ReceiverRuntime.mode), in German.
MODES = {
    "prefect": "über den Prefect-Server",
    "in-process": "in diesem Prozess",
    "custom": "eigener Starter",
}


def register(commands: Any) -> None:
    parser = commands.add_parser("receiver", help="den Webhook-Empfänger für lexoffice betreiben")
    parser.add_argument(
        "--host", default="127.0.0.1", help="Adresse, auf der er lauscht (ein Proxy davor)"
    )
    parser.add_argument("--port", type=int, default=8787, help="Port, auf dem er lauscht")
    parser.add_argument(
        "--connection",
        action="append",
        default=None,
        metavar="NAME",
        help="diese Verbindung bedienen (mehrfach möglich; sonst jede aktive Verbindung)",
    )
    parser.add_argument(
        "--public-key",
        default=None,
        help=f"der öffentliche Webhook-Schlüssel von lexoffice: PEM-Datei oder URL (sonst "
        f"${PUBLIC_KEY_ENV}, sonst {LEXOFFICE_PUBLIC_KEY_URL}, einmal geladen und "
        "zwischengespeichert, mit der im Paket hinterlegten Kopie als Rückfall)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=100, help="Kontakte je Flow-Lauf für Kunden"
    )
    parser.add_argument(
        "--quiet-seconds",
        type=float,
        default=1.0,
        help="Sekunden ohne Ereignis, nach denen eine Folge von Ereignissen abgeschlossen ist",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from deployments.webhooks.server import StopSignals

    with StopSignals() as stop:
        return _start_and_serve(args, stop)


def _start_and_serve(args: argparse.Namespace, stop: Any) -> int:
    from deployments.cli_prefect import temporary_server_running
    from deployments.webhooks.config import ReceiverSettings
    from deployments.webhooks.dispatcher import in_process_starter
    from deployments.webhooks.runtime import ReceiverSetupError, build_receiver
    from deployments.webhooks.server import serve

    settings = ReceiverSettings(
        connections=tuple(args.connection or ()),
        public_key=args.public_key,
        batch_size=args.batch_size,
        quiet_seconds=args.quiet_seconds,
    )
    # This process's own temporary server has no deployments: flows run right here.
    in_process = temporary_server_running()
    starter_for = in_process_starter if in_process else None
    try:
        runtime = build_receiver(settings, with_button=True, starter_for=starter_for)
    except ReceiverSetupError as failure:
        print(f"lexsync receiver: nicht gestartet: {failure}")
        return 2
    if not stop.requested:
        _announce(runtime, args, in_process)
        if serve(runtime.app, args.host, args.port, stop):
            return 0
    error("abgebrochen")
    return EXIT_INTERRUPTED


def _announce(runtime: Any, args: argparse.Namespace, in_process: bool) -> None:
    served = ", ".join(sorted(runtime.dispatchers))
    mode = "in-process" if in_process else runtime.mode
    print(
        f"Webhook-Empfänger für {served} auf "
        f"http://{args.host}:{args.port}{CALLBACK_PATH} (Flow-Läufe: {MODES.get(mode, mode)})",
        flush=True,
    )
    for name, reason in sorted(runtime.skipped.items()):
        # The reason is the receiver's own (deployments/webhooks/runtime.py).
        print(f"  nicht bedient: {name}: {reason}", flush=True)
