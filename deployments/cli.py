"""The `lexsync` command for admins and scripts.

Exit codes scripts can trust:
  0  done: every check passed, every record went through
  1  the job ran but records failed (see the printed report), or open errors (`status`)
  2  bad usage or configuration: unknown option, no API key, a refused key, an unknown
     connection, a database not at the newest schema, a check that failed (`check`)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import deployments.cli_check as cli_check
import deployments.cli_connections as cli_connections
import deployments.cli_db as cli_db
import deployments.cli_demo as cli_demo
import deployments.cli_invoice as cli_invoice
import deployments.cli_receiver as cli_receiver
import deployments.cli_sandbox as cli_sandbox
import deployments.cli_status as cli_status
import deployments.cli_subscribe as cli_subscribe
import deployments.cli_sync as cli_sync
import deployments.cli_up as cli_up

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lexsync",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # keeps the exit-code table
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (
        cli_sandbox,
        cli_demo,
        cli_check,
        cli_connections,
        cli_sync,
        cli_invoice,
        cli_status,
        cli_db,
        cli_receiver,
        cli_subscribe,
        cli_up,
    ):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Command = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
