"""Run the sandbox with uvicorn: `SandboxServer` (tests, background thread) and `serve` (CLI)."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import uvicorn

from .app import create_app
from .config import SandboxConfig
from .runtime import Runtime

CONTROL_KEY_HEADER = "X-Sandbox-Api-Key"


class SandboxServer:
    """The sandbox on 127.0.0.1 and a free port, served from a background thread.

    >>> with SandboxServer(SandboxConfig(rps=1000, burst=1000)) as sandbox:
    ...     httpx.get(f"{sandbox.base_url}/v1/profile",
    ...               headers={"Authorization": f"Bearer {sandbox.api_key}"})
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.app = create_app(self.config)
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say so, and
        # without it every answer waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_key: str = self.app.state.runtime.store.default_key
        self.control = httpx.Client(base_url=f"{self.base_url}/_sandbox", timeout=30.0)
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=1,
            )
        )
        self._thread: threading.Thread | None = None

    @property
    def runtime(self) -> Runtime:
        """The in-process state (for debugging; tests should use `control`)."""
        runtime: Runtime = self.app.state.runtime
        return runtime

    def start(self) -> SandboxServer:
        """Start serving; returns once the server accepts connections."""
        if self._thread is not None:
            return self
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the lexoffice sandbox did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving, write the state file (if any) and close the control client."""
        self.control.close()
        if self._thread is None:
            self._socket.close()
            return
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._thread = None
        self._socket.close()

    def client(self, api_key: str | None = None, **kwargs: Any) -> httpx.Client:
        """An httpx client on the sandbox with a bearer key (the default organization's)."""
        headers = {"Authorization": f"Bearer {api_key or self.api_key}"}
        return httpx.Client(base_url=self.base_url, headers=headers, **kwargs)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    rps: float = 2.0,
    api_key: str | None = None,
    state_file: Path | None = None,
    seed_demo: bool = False,
) -> None:
    """Run the sandbox in the foreground until interrupted (the `lexsync sandbox` command)."""
    config = SandboxConfig(
        rps=rps, burst=max(2, int(rps)), api_key=api_key, state_file=state_file, seed_demo=seed_demo
    )
    app = create_app(config)
    key = app.state.runtime.store.default_key
    print(f"lexoffice sandbox on http://{host}:{port}  API key: {key}", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=1)
