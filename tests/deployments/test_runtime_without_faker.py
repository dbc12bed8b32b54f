"""faker belongs to the `demo` extra: every runtime module imports and the CLI starts without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The modules that make demo data, and nothing else, may import faker.
DEMO_MODULES = {
    "connectors.fieldservice.demo",
    "connectors.fieldservice.generator",
    "connectors.lexoffice.sandbox.demo",
}
IMPORT_ALL_WITHOUT_FAKER = """
import importlib, sys
from importlib.abc import MetaPathFinder

class NoFaker(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "faker" or name.startswith("faker."):
            raise ImportError("faker is not installed (demo extra)")
        return None

sys.meta_path.insert(0, NoFaker())
for name in sys.argv[1:]:
    importlib.import_module(name)
from deployments.cli import build_parser, main
build_parser()
sys.exit(main(["demo"]))
"""


def _runtime_modules() -> list[str]:
    names = []
    for package in ("flows", "tasks", "connectors", "deployments"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name not in DEMO_MODULES and "migrations" not in parts:
                names.append(name)
    return names


def test_every_runtime_module_imports_without_faker_and_the_demo_says_what_is_missing() -> None:
    modules = _runtime_modules()

    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL_WITHOUT_FAKER, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DO_NOT_TRACK": "1"},
    )

    assert len(modules) > 100
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 2, done.stdout + done.stderr
    assert "pip install -e '.[demo]'" in done.stderr
