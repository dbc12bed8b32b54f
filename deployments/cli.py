"""The `lexsync` command for admins and scripts.

Its help (`DESCRIPTION`, German: the admin reads it) holds the exit codes scripts can trust,
the same for every command: 0 no problems, 3 done with problems, 1 the run failed, 2 a
configuration or input error (nothing was run), 130 interrupted. `--debug` shows the full
traceback of an error. Without PREFECT_API_URL a command starts one temporary Prefect server
and stops it on exit.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

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
from deployments.cli_help import GermanArgumentParser
from deployments.cli_prefect import local_prefect_database_exists, prefect_api
from deployments.cli_support import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    ConfigurationError,
    error,
)

Command = Callable[[argparse.Namespace], int]
# Which commands need a Prefect API: "blocks" only to read a connection block, which
# cannot exist while no Prefect database does (then the environment's default is used).
NO_PREFECT = frozenset({"sandbox", "up", "down"})
BLOCKS_ONLY = frozenset({"check", "db"})
DESCRIPTION = """\
lexsync gleicht die Datenbank des Handwerksbetriebs mit lexoffice ab.

Exit-Codes, auf die sich Skripte verlassen können (bei jedem Befehl):
  0  fertig ohne Probleme: jede Prüfung bestanden, jeder Datensatz übertragen
  3  fertig mit Problemen: Datensätze mit Fehler, Konflikte oder zurückgehaltene Datensätze
     (siehe Bericht), oder offene Fehler (`status`)
  1  der Lauf ist fehlgeschlagen (siehe Meldung und den Lauf in Prefect)
  2  Fehler in Konfiguration oder Aufruf, nichts ausgeführt: unbekannte Option, kein oder ein
     abgelehnter API-Schlüssel, lexoffice oder Datenbank nicht erreichbar, unbekannte
     Verbindung, Datenbank nicht auf dem neuesten Schema, ein Arbeitsnachweis, der sich nicht
     abrechnen lässt, eine fehlgeschlagene Prüfung (`check`)
130 abgebrochen (Strg+C oder SIGTERM). `--debug` zeigt bei einem Fehler den ganzen Traceback.
Ohne PREFECT_API_URL startet ein Befehl einen vorübergehenden Prefect-Server und beendet ihn
am Ende wieder.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = GermanArgumentParser(prog="lexsync", description=DESCRIPTION)
    parser.add_argument(
        "--debug", action="store_true", help="bei Fehlern den ganzen Traceback zeigen"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, title="Befehle", metavar="BEFEHL"
    )
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
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments  # accepted before or after the command
    args = build_parser().parse_args([a for a in arguments if a != "--debug"])
    run: Command = args.run
    if not debug:
        _console_logs_without_tracebacks()
    try:
        with ExitStack() as stack:
            if _needs_prefect(args.command):
                stack.enter_context(prefect_api())
            return run(args)
    except KeyboardInterrupt:
        error("abgebrochen")
        return EXIT_INTERRUPTED
    except ConfigurationError as problem:
        if debug:
            raise
        error(str(problem))
        return EXIT_USAGE
    except Exception as failure:
        if debug:
            raise
        error(f"unerwarteter Fehler: {type(failure).__name__}: {failure} (Details: --debug)")
        return EXIT_FAILED


def _needs_prefect(command: str) -> bool:
    if command in NO_PREFECT:
        return False
    return command not in BLOCKS_ONLY or local_prefect_database_exists()


class _WithoutTraceback(logging.Formatter):
    """Formats a record as its handler would, minus the traceback (shown with --debug)."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def _console_logs_without_tracebacks() -> None:
    """Prefect prints a failed run's traceback on the console; the CLI says it in one line.

    Prefect sets its console handler up once per process, on the `sys.stderr` of that
    moment; it is pointed at the current one, so that a command run in-process (a script, a
    test) prints its logs where it prints its errors.
    """
    from prefect.logging.configuration import ensure_logging_setup
    from prefect.logging.handlers import PrefectConsoleHandler

    ensure_logging_setup()  # Prefect's console handlers exist from here on
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, PrefectConsoleHandler) and handler.stream is not sys.stderr:
                _write_to_current_stderr(handler)
            is_console = isinstance(handler, logging.StreamHandler) and not isinstance(
                handler, logging.FileHandler
            )
            if is_console and not isinstance(handler.formatter, _WithoutTraceback):
                handler.setFormatter(_WithoutTraceback(handler.formatter or logging.Formatter()))


def _write_to_current_stderr(handler: Any) -> None:
    # Not setStream(): it flushes the old stream, which may be closed by now.
    with handler.lock:
        handler.stream = sys.stderr
        handler.console.file = sys.stderr


if __name__ == "__main__":
    sys.exit(main())
