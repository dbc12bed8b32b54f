"""Imports point one way: deployments → flows → tasks → connectors (docs/architecture.md).

Read with `ast` from the source files, so a violation is found whether or not the module is
ever imported by a test; imports under `if TYPE_CHECKING:` count too (they are still a
dependency of the code's meaning).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SANDBOX = "connectors.lexoffice.sandbox"
# Who may start the lexoffice simulator: the CLI (`lexsync sandbox`, `lexsync demo`) and the
# service that runs the demo stack.
SANDBOX_USERS = ("deployments.cli", "deployments.service")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module `module` imports (absolute names; relative imports resolved)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(_absolute(node, module, is_package))
    return found


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    keep = len(package) - node.level + (1 if is_package else 0)
    return ".".join(package[:keep] + ([node.module] if node.module else []))


def violations(module: str, imported: str) -> list[str]:
    """The layering rules `module` breaks by importing `imported`."""
    layer, target = module.split(".")[0], imported.split(".")[0]
    broken = []
    if layer == "connectors" and target in {"prefect", "tasks", "flows", "deployments"}:
        broken.append("connectors import none of prefect/tasks/flows/deployments")
    if layer == "tasks" and target in {"flows", "deployments"}:
        broken.append("tasks import neither flows nor deployments")
    if layer == "flows" and target == "deployments":
        broken.append("flows do not import deployments")
    inside_sandbox = _within(module, SANDBOX)
    if (
        inside_sandbox
        and _within(imported, "connectors.lexoffice")
        and not _within(imported, SANDBOX)
    ):
        broken.append("the sandbox imports nothing of connectors.lexoffice outside itself")
    if _within(imported, SANDBOX) and not inside_sandbox and not module.startswith(SANDBOX_USERS):
        broken.append("only the CLI and the service import the sandbox")
    return broken


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def all_violations() -> list[str]:
    found = []
    for layer in ("connectors", "tasks", "flows", "deployments"):
        for path in sorted((ROOT / layer).rglob("*.py")):
            module = module_name(path)
            source = path.read_text(encoding="utf-8")
            for imported in imported_modules(source, module, path.name == "__init__.py"):
                found += [
                    f"{module} imports {imported}: {rule}" for rule in violations(module, imported)
                ]
    return found


def test_imports_point_one_way() -> None:
    assert all_violations() == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("connectors.lexoffice.client", "from prefect import task"),
        ("connectors.fieldservice.db", "import tasks.report"),
        ("tasks.run", "from flows.full_sync import full_sync"),
        ("tasks.report", "from deployments import cli"),
        ("flows.full_sync", "from deployments.service import main"),
        ("connectors.lexoffice.sandbox.routes.contacts", "from ...client import LexofficeClient"),
        ("tasks.resources", "from connectors.lexoffice.sandbox.server import SandboxServer"),
    ],
)
def test_each_rule_catches_its_violation(module: str, source: str) -> None:
    """The positive control: a forbidden import in each layer is reported."""
    imported = imported_modules(source, module)
    assert [rule for name in imported for rule in violations(module, name)]


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("deployments.cli_demo", "from connectors.lexoffice.sandbox.server import SandboxServer"),
        ("connectors.lexoffice.sandbox.routes.contacts", "from ..store import Store"),
        ("flows.full_sync", "from tasks.run import open_run"),
        ("tasks.run", "from connectors.fieldservice.db import make_engine"),
    ],
)
def test_allowed_imports_pass(module: str, source: str) -> None:
    imported = imported_modules(source, module)
    assert [rule for name in imported for rule in violations(module, name)] == []


LOADER = "tasks.sync.load_lexoffice"


def imported_names(source: str, module: str) -> set[str]:
    """`imported_modules` plus each name a `from … import name` takes, as `package.name`
    (`from tasks.sync import load_lexoffice` imports the module `tasks.sync.load_lexoffice`)."""
    found = imported_modules(source, module)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            package = _absolute(node, module, False)
            found.update(f"{package}.{alias.name}" for alias in node.names)
    return found


def test_pending_creates_get_their_collaborators_and_import_no_loader() -> None:
    """`tasks/sync/pending.py` is handed what it works with (`Settling`): it imports nothing
    of the lexoffice loader, not even for type checking, so the two form no cycle."""
    path = ROOT / "tasks" / "sync" / "pending.py"
    imported = imported_names(path.read_text(encoding="utf-8"), module_name(path))
    assert not {name for name in imported if _within(name, LOADER)}


@pytest.mark.parametrize(
    "source",
    [
        "from tasks.sync.load_lexoffice import LexofficeLoader",
        "from tasks.sync import load_lexoffice",
        "from . import load_lexoffice",
        "import tasks.sync.load_lexoffice",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from tasks.sync.load_lexoffice import LexofficeLoader",
    ],
)
def test_each_way_of_importing_the_loader_is_seen(source: str) -> None:
    """The positive control of the test above."""
    imported = imported_names(source, "tasks.sync.pending")
    assert any(_within(name, LOADER) for name in imported)
