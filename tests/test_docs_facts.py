"""Facts the docs state that the code decides: they must not go stale when the code moves on."""

from __future__ import annotations

import re
from pathlib import Path

from connectors.fieldservice.db import head_revision
from deployments import cli_support

ROOT = Path(__file__).resolve().parents[1]


def test_contributing_names_the_newest_migration_and_the_next_number() -> None:
    head = head_revision()
    assert head is not None
    text = (ROOT / "CONTRIBUTING.md").read_text()

    following = f"{int(head) + 1:04d}"
    assert f"(now `0001` to `{head}`)" in text
    assert f'`revision = "{following}"` and `down_revision = "{head}"`' in text


def test_readme_and_admin_guide_list_every_exit_code_the_cli_uses() -> None:
    codes = {value for name, value in vars(cli_support).items() if name.startswith("EXIT_")}
    readme = (ROOT / "README.md").read_text()
    guide = (ROOT / "docs" / "admin-guide.de.md").read_text()

    in_readme = {int(code) for code in re.findall(r"^\| \**(\d+)\** \|", readme, re.MULTILINE)}
    in_guide = {int(code) for code in re.findall(r"\*\*(\d+)\*\*\s", guide)}
    assert in_readme == codes and in_guide == codes
