"""Group commit: every event waiting to be stored goes into one transaction.

One commit per event made a burst of 500 concurrent callbacks queue behind the database
(on SQLite every commit is serialised), so late callbacks waited seconds. Here each request
waits only for the commit of the group it joined; a burst costs a handful of commits.
"""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from deployments.webhooks.events import CallbackEvent
from deployments.webhooks.store import EventStore


class GroupWriter:
    """Stores events for concurrent requests, group by group (`max_group` at most)."""

    def __init__(self, store: EventStore, max_group: int = 250) -> None:
        self.store, self.max_group = store, max_group
        self._waiting: list[tuple[CallbackEvent, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, event: CallbackEvent) -> bool:
        """Store the event (committed on return); False if it was stored before."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((event, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            group = self._waiting[: self.max_group]
            del self._waiting[: len(group)]
            try:
                stored = await run_in_threadpool(self.store.record_many, [e for e, _ in group])
            except Exception as error:  # every request of the group answers 503
                for _, future in group:
                    future.set_exception(error)
                continue
            for (_, future), new in zip(group, stored, strict=True):
                future.set_result(new)
