"""The `lexsync` command for admins and scripts.

Exit codes scripts can trust: 0 done, 1 the job ran but reported failures, 2 bad usage or
configuration.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import deployments.cli_demo as cli_demo
import deployments.cli_sandbox as cli_sandbox

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lexsync", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (cli_sandbox, cli_demo):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Command = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
