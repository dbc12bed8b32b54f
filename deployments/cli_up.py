"""`lexsync up` / `lexsync down`: the whole service on this machine (`make up` / `make down`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

VAR_HELP = "Ordner für PIDs (run/), Protokolle (log/) und den Stand der Sandbox"


def register(commands: Any) -> None:
    up = commands.add_parser(
        "up",
        help="Prefect-Server, Deployments, einen Worker, den Webhook-Empfänger (und eine "
        "Sandbox) starten",
    )
    up.add_argument("--var", type=Path, default=Path("var"), help=VAR_HELP)
    up.add_argument("--host", default="127.0.0.1", help="die Adresse, auf der jeder Teil lauscht")
    up.add_argument("--port", type=int, default=4200, help="Port des Prefect-Servers (UI und API)")
    up.add_argument("--sandbox-port", type=int, default=8765, help="Port der Sandbox")
    up.add_argument("--receiver-port", type=int, default=8787, help="Port des Webhook-Empfängers")
    up.set_defaults(run=run_up)
    down = commands.add_parser("down", help="alles stoppen, was `lexsync up` gestartet hat")
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
