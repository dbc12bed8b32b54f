"""Which event types a connection's settings want, followed while the receiver runs.

An admin switches an import on or off in the connection's block (Prefect UI, `lexsync
connections`); the running receiver follows without a restart: a switched-off import's
events are acknowledged and dropped, a switched-on import's events are stored and dispatched.

The block is re-read on the request path, at most once per `ttl_seconds` (ReceiverSettings:
5 s) and by one request at a time, the others keep answering with the set they have. A
block read is one call to the local Prefect API (measured: median 65 ms, max 0.6 s on a busy
2-core machine), so a burst of 1,000 callbacks costs one read, not 1,000 (which would
overrun lexoffice's 5 s), and a switch takes effect within 5 s. Reading only when a batch
is dispatched would not do: a switched-on import's events are dropped at the door, before
any batch exists that could trigger the read. A failed read (Prefect server restarting,
block deleted) keeps the last known set and is tried again after the TTL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from starlette.concurrency import run_in_threadpool

log = logging.getLogger("lexsync.webhooks")
EventTypesReader = Callable[[], Iterable[str]]


class WantedEvents:
    """The event types a connection wants: fixed, or re-read through `reread` when older
    than `ttl_seconds`."""

    def __init__(
        self,
        types: Iterable[str],
        reread: EventTypesReader | None = None,
        ttl_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        name: str = "",
    ) -> None:
        self._types = frozenset(types)
        self._reread, self._ttl, self._clock, self.name = reread, ttl_seconds, clock, name
        self._read_at = clock()
        self._lock = threading.Lock()
        self.reads = 0  # how often the settings were re-read (a figure for tests)

    @property
    def current(self) -> frozenset[str]:
        """The set as last read, without reading."""
        return self._types

    async def types(self) -> frozenset[str]:
        """The set, re-read first when it is older than the TTL."""
        if self._reread is not None and self._stale():
            await run_in_threadpool(self.refresh_if_stale)
        return self._types

    def refresh_if_stale(self) -> None:
        """Re-read once; requests that find a read under way keep the set they have."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            if self._stale():
                self._refresh()
        finally:
            self._lock.release()

    def _stale(self) -> bool:
        return self._clock() - self._read_at >= self._ttl

    def _refresh(self) -> None:
        assert self._reread is not None
        try:
            types = frozenset(self._reread())
        except Exception as error:  # the receiver must keep answering lexoffice
            log.warning(
                "re-reading the settings of %s failed (%s); the last ones stay in force",
                self.name,
                type(error).__name__,
            )
        else:
            if types != self._types:
                log.info("%s now wants %d event types (settings changed)", self.name, len(types))
            self._types = types
        finally:
            self.reads += 1
            self._read_at = self._clock()
