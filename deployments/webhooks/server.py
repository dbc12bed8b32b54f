"""Serving the receiver with uvicorn: in the foreground (CLI) or from a thread (tests)."""

from __future__ import annotations

import signal
import socket
import threading
import time
from types import FrameType, TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette

from deployments.webhooks.config import CALLBACK_PATH


class ReceiverServer:
    """The receiver app on 127.0.0.1 and a free port, served from a background thread."""

    def __init__(self, app: Starlette) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        port = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.callback_url = f"{self.base_url}{CALLBACK_PATH}"
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def start(self) -> ReceiverServer:
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the webhook receiver did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=60)
            self._thread = None
        self._socket.close()

    def __enter__(self) -> ReceiverServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class _Serving(uvicorn.Server):
    """uvicorn's server, knowing whether a stop signal came before it listened."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.interrupted_while_starting = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # uvicorn's own handler while it serves: a second Ctrl-C still forces the exit.
        self.interrupted_while_starting |= not self.started
        super().handle_exit(sig, frame)

    def note_stop(self) -> None:
        self.interrupted_while_starting |= not self.started
        self.should_exit = True

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if self.should_exit:  # stopped before it began: start nothing, listen on nothing
            return
        await super().startup(sockets)


class StopSignals:
    """SIGINT and SIGTERM noted, not raised, while the receiver starts and serves.

    A KeyboardInterrupt raised at an arbitrary point of start-up (inside logging's or a
    thread's lock) turned into an unrelated error; a noted stop is acted on where it is safe:
    before serving (nothing is started) or by the server (a graceful shutdown). A second
    Ctrl-C before the server runs gives up at once. Main thread only; a no-op elsewhere.
    """

    def __init__(self) -> None:
        self.requested = False
        self._server: _Serving | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._noted)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def attach(self, server: _Serving) -> None:
        """From now on a signal stops `server`; one noted already stops it before it starts."""
        self._server = server
        if self.requested:
            server.note_stop()

    def _noted(self, signum: int, frame: FrameType | None) -> None:
        if self.requested and signum == signal.SIGINT and self._server is None:
            raise KeyboardInterrupt
        self.requested = True
        if self._server is not None:
            self._server.note_stop()


def serve(app: Starlette, host: str, port: int, stop: StopSignals) -> bool:
    """Run until SIGINT or SIGTERM; False if one came before it listened (interrupted).

    Not `uvicorn.run`: a signal before uvicorn took over its signals ended that with
    uvicorn's start-up failure code 3, and one during its start-up with 0 after serving for a
    moment. Here a signal at any moment stops it, and the caller tells the two cases apart.
    lexoffice needs HTTPS, so put a TLS proxy in front.
    """
    config = uvicorn.Config(
        app, host=host, port=port, log_level="info", timeout_graceful_shutdown=5, proxy_headers=True
    )
    server = _Serving(config)
    stop.attach(server)
    server.run()
    return not server.interrupted_while_starting
