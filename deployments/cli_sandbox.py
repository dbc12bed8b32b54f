"""`lexsync sandbox`: run the lexoffice simulator in the foreground."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser("sandbox", help="run the lexoffice sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rps", type=float, default=2.0, help="requests/second per API key")
    parser.add_argument("--api-key", default=None, help="the key clients must send")
    parser.add_argument("--state-file", type=Path, default=None, help="keep state in this file")
    parser.add_argument("--demo", action="store_true", help="seed demo data at start")
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
