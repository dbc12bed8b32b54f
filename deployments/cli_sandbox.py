"""`lexsync sandbox`: run the lexoffice simulator in the foreground.

A developer tool: its own output (the sandbox's log) stays English; its help is German like
every command's, as `lexsync --help` lists it for the admin too.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "sandbox", help="die lexoffice-Sandbox betreiben (für Entwickler und Tests)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="Adresse, auf der sie lauscht")
    parser.add_argument("--port", type=int, default=8765, help="Port, auf dem sie lauscht")
    parser.add_argument(
        "--rps", type=float, default=2.0, help="Anfragen pro Sekunde je API-Schlüssel"
    )
    parser.add_argument("--api-key", default=None, help="der Schlüssel, den Aufrufer senden")
    parser.add_argument(
        "--state-file", type=Path, default=None, help="den Stand in dieser Datei behalten"
    )
    parser.add_argument("--demo", action="store_true", help="beim Start Demodaten anlegen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from connectors.lexoffice.sandbox.server import serve

    serve(
        host=args.host,
        port=args.port,
        rps=args.rps,
        api_key=args.api_key,
        state_file=args.state_file,
        seed_demo=args.demo,
    )
    return 0
