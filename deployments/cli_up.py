"""`lexsync up` / `lexsync down`: the whole service on this machine (`make up` / `make down`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

VAR_HELP = "where pids (run/), logs (log/) and the sandbox's state go"


def register(commands: Any) -> None:
    up = commands.add_parser(
        "up", help="start Prefect server, deployments, a worker, the receiver (and a sandbox)"
    )
    up.add_argument("--var", type=Path, default=Path("var"), help=VAR_HELP)
    up.add_argument("--host", default="127.0.0.1", help="the address every part listens on")
    up.add_argument("--port", type=int, default=4200, help="the Prefect server's (UI and API)")
    up.add_argument("--sandbox-port", type=int, default=8765)
    up.add_argument("--receiver-port", type=int, default=8787)
    up.set_defaults(run=run_up)
    down = commands.add_parser("down", help="stop everything `lexsync up` started")
    down.add_argument("--var", type=Path, default=Path("var"), help=VAR_HELP)
    down.set_defaults(run=run_down)


def run_up(args: argparse.Namespace) -> int:
    from deployments.service import Service, up

    service = Service(
        var=args.var,
        host=args.host,
        prefect_port=args.port,
        sandbox_port=args.sandbox_port,
        receiver_port=args.receiver_port,
    )
    return up(service, os.environ)


def run_down(args: argparse.Namespace) -> int:
    from deployments.service import down

    return down(args.var)
