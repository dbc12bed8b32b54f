"""The systemd unit set (server, worker, receiver): valid units whose commands exist."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from deployments.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deployments" / "systemd"
NAMES = ("lexsync-server.service", "lexsync-worker.service", "lexsync-receiver.service")
INSTALL_ROOT = "/opt/lexsync"  # where the units expect the checkout and its .venv
ENV_FILE = "/etc/lexsync/lexsync.env"


def _unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=True, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string((UNITS / name).read_text())
    return parser


def _exec_start(name: str) -> list[str]:
    argv = shlex.split(_unit(name)["Service"]["ExecStart"])
    assert argv[0].startswith(f"{INSTALL_ROOT}/.venv/bin/"), argv[0]
    return argv


@pytest.mark.parametrize("name", NAMES)
def test_unit_starts_at_boot_restarts_and_reads_the_environment_file(name: str) -> None:
    unit = _unit(name)

    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert unit["Service"]["Restart"] in ("always", "on-failure")
    assert unit["Service"]["EnvironmentFile"] == ENV_FILE
    assert unit["Service"]["User"] == "lexsync"
    if name != "lexsync-server.service":
        assert "lexsync-server.service" in unit["Unit"]["After"].split()


def test_receiver_command_is_a_lexsync_subcommand_listening_on_loopback() -> None:
    argv = _exec_start("lexsync-receiver.service")

    assert Path(argv[0]).name == "lexsync"
    args = build_parser().parse_args(argv[1:])
    assert args.host == "127.0.0.1" and args.port == 8787 and callable(args.run)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("lexsync-server.service", ("--host", "--port")),
        ("lexsync-worker.service", ("--pool", "--type")),
    ],
)
def test_prefect_commands_exist_with_the_options_used(name: str, options: tuple[str, ...]) -> None:
    argv = _exec_start(name)
    assert Path(argv[0]).name == "prefect"
    subcommand = [word for word in argv[1:3] if not word.startswith("-")]

    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "prefect"), *subcommand, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DO_NOT_TRACK": "1", "COLUMNS": "200"},
    )

    assert done.returncode == 0, done.stderr
    assert all(option in done.stdout for option in options), done.stdout


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_analyze_verifies_the_units_without_warnings(tmp_path: Path) -> None:
    """The units as installed here: the checkout in place of the install root."""
    environment = tmp_path / "lexsync.env"
    environment.write_text((UNITS / "lexsync.env.example").read_text())
    for name in NAMES:
        text = (UNITS / name).read_text().replace(ENV_FILE, str(environment))
        (tmp_path / name).write_text(text.replace(INSTALL_ROOT, str(ROOT)))

    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in NAMES)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    problems = [
        line
        for line in done.stderr.splitlines()
        if any(word in line for word in ("Unknown", "ignoring", "not executable", "Failed"))
    ]
    assert problems == [], done.stderr
