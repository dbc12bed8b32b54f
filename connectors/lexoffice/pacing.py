"""Pacing: at most `rate` requests per second per API key, shared by threads and processes.

A slot-reservation pacer. Under a lock held by the store, the send times already reserved
for the key are read, the earliest allowed time is reserved, and the lock is released; the
caller then sleeps until its slot. Stores: a file (fcntl.flock, one machine) or Redis
(several machines, see `pacing_redis`). Each key has its own file / Redis key, so two
connections never slow each other down.
"""

from __future__ import annotations

import fcntl
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# No honest queue reaches this far ahead (it would be hundreds of waiting requests).
MAX_QUEUE_SECONDS = 300.0


@dataclass(frozen=True)
class SlotPlan:
    """The pacing rule: at most `capacity` sends in any `window` seconds, `spacing` apart."""

    rate_per_second: float
    margin_seconds: float = 0.05

    @property
    def capacity(self) -> int:
        return max(1, math.floor(self.rate_per_second))

    @property
    def window(self) -> float:
        # The margin absorbs network jitter between our clock and lexoffice's token bucket.
        return self.capacity / self.rate_per_second + self.margin_seconds

    @property
    def spacing(self) -> float:
        # Spreading sends evenly keeps us safe if lexoffice's bucket allows no burst.
        return 1.0 / self.rate_per_second

    def next_slot(self, reserved: Sequence[float], now: float) -> float:
        """The earliest send time ≥ now after the (ascending) reserved times."""
        # Slots far ahead can only come from a clock that jumped back; forget them.
        reserved = [value for value in reserved if value - now <= MAX_QUEUE_SECONDS]
        slot = now
        if reserved:
            slot = max(slot, reserved[-1] + self.spacing)
        if len(reserved) >= self.capacity:
            slot = max(slot, reserved[-self.capacity] + self.window)
        return slot

    def remembered(self, reserved: Sequence[float], slot: float) -> list[float]:
        """The reserved times worth keeping once `slot` is taken (only the last few matter)."""
        return [*reserved, slot][-self.capacity :]


class SlotStore(Protocol):
    """Where reserved send times live; `reserve` must be atomic across all users of a key."""

    def reserve(self, key: str, plan: SlotPlan) -> float:
        """Reserve the next slot for `key`; return the seconds to wait until it."""
        ...


class FileSlotStore:
    """Reserved send times in a small file per key fingerprint, locked with fcntl.flock."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def reserve(self, key: str, plan: SlotPlan) -> float:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / f"{key}.slots", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            now = time.time()
            reserved = _parse_times(os.pread(fd, 4096, 0))
            slot = plan.next_slot(reserved, now)
            _write_times(fd, plan.remembered(reserved, slot))
            return slot - now
        finally:
            os.close(fd)  # closing releases the flock


def _parse_times(raw: bytes) -> list[float]:
    try:
        return sorted(float(part) for part in raw.split())
    except ValueError:
        return []  # a damaged file only costs one unpaced request


def _write_times(fd: int, times: Sequence[float]) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, " ".join(f"{value:.6f}" for value in times).encode(), 0)


class Pacer:
    """Waits for this connection's turn before each request."""

    def __init__(
        self,
        store: SlotStore,
        key: str,
        plan: SlotPlan,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.key = key
        self.plan = plan
        self._sleep = sleep

    def wait_turn(self) -> None:
        """Reserve the next send slot and sleep until it."""
        delay = self.store.reserve(self.key, self.plan)
        if delay > 0:
            self._sleep(delay)
