"""Every count a report can show has German words: a count name without a translation would
reach the office as the English key (`report_text.other_count` falls back to the name)."""

from __future__ import annotations

import ast
from pathlib import Path

from tasks.report_text import COUNTS, OTHER_COUNTS

ROOT = Path(__file__).resolve().parents[2]


def counted_names(source: str) -> set[str]:
    """The literal names passed to `<section>.count("…", …)`."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "count"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def test_the_scan_sees_a_counted_name() -> None:
    source = 'section.count("made up")\nsection.count(name)\ntext.count("x") + 1\n'

    assert counted_names(source) == {"made up", "x"}


def test_every_counted_name_in_the_code_has_german_words() -> None:
    files = [*ROOT.glob("tasks/**/*.py"), *ROOT.glob("flows/**/*.py")]
    used = set().union(*(counted_names(path.read_text()) for path in files))

    untranslated = sorted(used - COUNTS.keys() - OTHER_COUNTS.keys())

    assert len(used) > 10
    assert untranslated == []
