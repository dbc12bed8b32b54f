"""`lexsync --help` and every command's help are German: the admin reads them.

What a script or the admin types stays as it is and is left out of the sweep: the usage
line, option names, metavars, choices, command names, URLs and `code`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from deployments.cli import build_parser, main
from tests.support.english import english_in

TYPED = (
    re.compile(r"^Aufruf:.*?(?:\n\n|\Z)", re.DOTALL | re.MULTILINE),  # the usage block
    re.compile(r"\{[^}]*\}"),  # choice sets
    re.compile(r"(?<![\w-])--?[\w-]+"),  # option names
    re.compile(r"\b[A-Z][A-Z_]+\b"),  # metavars, environment variables
    re.compile(r"^ {2,4}[a-z][\w-]*(?= {2,}|$)", re.MULTILINE),  # listed command names
    re.compile(r"https?://\S+|`[^`]*`"),  # addresses and commands
)


def command_paths(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command and sub-command, as the words typed before `--help`."""
    yield path
    for action in parser._actions:  # argparse has no public way to list sub-commands
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from command_paths(sub, (*path, name))


def choice_values(parser: argparse.ArgumentParser) -> set[str]:
    """The values options accept (`--entity customers`): typed, so left out too."""
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= choice_values(sub)
        elif action.choices:
            found |= {str(choice) for choice in action.choices}
    return found


def help_of(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*path, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def words_for_people(help_text: str, typed_values: set[str]) -> str:
    for pattern in TYPED:
        help_text = pattern.sub(" ", help_text)
    for value in typed_values:
        help_text = re.sub(rf"\b{re.escape(value)}\b", " ", help_text)
    return help_text


def test_every_help_page_is_german(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    paths = list(command_paths(parser))
    typed_values = choice_values(parser)
    english = []
    for path in paths:
        text = words_for_people(help_of(path, capsys), typed_values)
        english += [(" ".join(path) or "lexsync", word) for word, _ in english_in([text])]
    assert english == [], english
    assert ("db", "upgrade") in paths and ("connections", "add") in paths  # the walk goes deep


def test_the_main_help_lists_every_command_with_its_german_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of((), capsys)
    assert text.startswith("Aufruf: lexsync")
    for path in command_paths(build_parser()):
        if len(path) == 1:
            assert re.search(rf"^ {{4}}{path[0]}\b", text, re.MULTILINE), path
    assert "Exit-Codes" in text and "diese Hilfe zeigen" in text


def test_a_wrong_call_is_refused_in_german_with_exit_code_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sync", "--entity", "invoices"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "lexsync sync: Aufruf falsch: --entity: 'invoices' gibt es nicht" in err, err
