"""One temporary Prefect server per CLI process, stopped whatever happens.

Without PREFECT_API_URL, Prefect starts a temporary server for whichever thread asks for a
client first, a second one for another thread that asks while the first is still starting,
and leaves them running after the process exits (holding its stdout, so `lexsync sync | cat`
never ends). So the CLI starts exactly one itself, in its own process group with its output
in a log file, hands its URL to everything in the process (flow, progress bar, blocks), and
stops the group on the way out: normal exit, exception, Ctrl-C or SIGTERM. If the CLI is
killed outright, the kernel stops the server (parent-death signal, Linux).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any

import httpx

STARTUP_SECONDS = 120.0
STOP_SECONDS = 10.0
DRAIN_SECONDS = 10.0
# The server's own settings: no UI to serve, no telemetry (it calls out and logs an ERROR
# when offline), the short-lived form of the server Prefect itself uses for this.
SERVER_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}
_PR_SET_PDEATHSIG = 1
_started_here: list[str] = []  # the URL of the temporary server this process runs, if any


class ServerStartError(RuntimeError):
    """The temporary Prefect server did not come up; the message names its log."""


def api_url_configured() -> bool:
    """Whether this process already talks to a Prefect server (PREFECT_API_URL)."""
    from prefect.settings import get_current_settings

    return bool(os.environ.get("PREFECT_API_URL") or get_current_settings().api.url)


def local_prefect_database_exists() -> bool:
    """Whether a temporary server could find blocks: its database exists (or is not SQLite)."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    url = settings.server.database.connection_url
    if url is not None and "sqlite" not in url.get_secret_value():
        return True
    return (Path(settings.home) / "prefect.db").exists()


@contextlib.contextmanager
def prefect_api() -> Iterator[str | None]:
    """The Prefect API for this process: PREFECT_API_URL if set, else one temporary server.

    Yields the URL of a server this block started, None if one was configured already.
    """
    if api_url_configured():
        yield None
        return
    with _stop_on_sigterm(), TemporaryServer() as server:
        _use_api(server.api_url)
        _started_here.append(server.api_url)
        try:
            yield server.api_url
        finally:
            _drain_prefect_workers()  # logs and events of the run reach the server first
            _started_here.remove(server.api_url)
            _use_api(None)


def _drain_prefect_workers() -> None:
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=DRAIN_SECONDS)


def temporary_server_running() -> bool:
    """Whether this process's Prefect API is a temporary server (no deployments on it)."""
    return bool(_started_here)


class TemporaryServer:
    """`uvicorn prefect.server.api.server:create_app` on a free port, in its own group."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def __enter__(self) -> TemporaryServer:
        try:
            with _startup_lock():  # two servers migrating one fresh database race
                self._start()
                self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _start(self) -> None:
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        command = [
            sys.executable, "-m", "uvicorn", "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1",
            "--port", str(self.port), "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            env=_server_environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopped with everything it spawns
            preexec_fn=_die_with_parent,
        )

    def _wait_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerStartError(
                    "der vorübergehende Prefect-Server hat sich beendet "
                    f"(Exit-Code {self.process.returncode}): "
                    f"{self._log_tail()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise ServerStartError(
            f"der vorübergehende Prefect-Server antwortet nach {STARTUP_SECONDS:.0f} s nicht: "
            f"{self._log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM to the server's group, SIGKILL if it does not go; safe to call twice."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait()
        if process is not None:
            _signal_group(process.pid, signal.SIGKILL)  # anything it left in its group
        if self._log is not None:
            self._log.close()
            self._log = None

    def _log_tail(self) -> str:
        if self._log is None:
            return "(no log)"
        self._log.seek(0)
        return self._log.read()[-2000:].decode(errors="replace").strip() or "(no output)"


def _server_environment() -> dict[str, str]:
    from prefect.settings import get_current_settings

    profile = get_current_settings().to_environment_variables(exclude_unset=True)
    profile.pop("PREFECT_API_URL", None)
    return dict(os.environ) | profile | SERVER_ENV


def _use_api(url: str | None) -> None:
    """Points every thread of this process at `url` (None: back to no server)."""
    from prefect.context import refresh_global_settings_context

    if url is None:
        os.environ.pop("PREFECT_API_URL", None)
    else:
        os.environ["PREFECT_API_URL"] = url
    refresh_global_settings_context()


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so every `finally` (stopping the server) runs."""
    if _is_main_thread():

        def interrupt(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt(f"signal {signum}")

        previous: Callable[[int, FrameType | None], Any] | int | None = signal.signal(
            signal.SIGTERM, interrupt
        )
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, previous)
    else:
        yield


@contextlib.contextmanager
def _startup_lock() -> Iterator[None]:
    from prefect.settings import get_current_settings

    home = Path(get_current_settings().home)
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".lexsync-server-start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _die_with_parent() -> None:
    # Runs in the child before exec: SIGTERM when the CLI dies, even by SIGKILL.
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
