"""argparse in German: headings, the help option and usage errors of every `lexsync` command.

The admin reads `lexsync --help` and argparse's complaints about a wrong call; argparse
writes both in English and ships no German catalogue, so this parser class says them in
German. Option names, choices and metavars stay as they are (scripts type them).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

# argparse's usage errors (Python 3.11–3.13), English pattern → German replacement.
USAGE_ERRORS = (
    (r"^the following arguments are required: ", "diese Angaben fehlen: "),
    (r"^unrecognized arguments: ", "unbekannte Angaben: "),
    (
        r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$",
        r"\1: \2 gibt es nicht (möglich: \3)",
    ),
    (r"^argument (\S+): invalid (int) value: ", r"\1: keine ganze Zahl: "),
    (r"^argument (\S+): invalid (float) value: ", r"\1: keine Zahl: "),
    (r"^argument (\S+): expected one argument$", r"\1: dahinter fehlt der Wert"),
    (r"^argument (\S+): not allowed with argument (\S+)$", r"\1 geht nicht zusammen mit \2"),
)


class GermanHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the descriptions' line breaks (the exit-code table); "Aufruf:" for "usage:"."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
        super().add_usage(usage, actions, groups, "Aufruf: " if prefix is None else prefix)


class GermanArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are German; its sub-commands' parsers are too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.get("add_help", True)
        kwargs.setdefault("formatter_class", GermanHelpFormatter)
        kwargs["add_help"] = False  # added below, with German help
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="diese Hilfe zeigen"
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Aufruf falsch: {german_usage_error(message)}\n")


def german_usage_error(message: str) -> str:
    """argparse's complaint in German; one without a translation is passed on as it is."""
    for english, german in USAGE_ERRORS:
        translated, found = re.subn(english, german, message)
        if found:
            return translated
    return message
