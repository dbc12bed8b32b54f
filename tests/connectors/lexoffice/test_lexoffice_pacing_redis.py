"""The Redis pacing store (needs the Redis server at 127.0.0.1:6379)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from pydantic import SecretStr

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.pacing import Pacer, SlotPlan
from connectors.lexoffice.pacing_redis import RedisSlotStore
from connectors.lexoffice.settings import LexofficeSettings

REDIS_URL = "redis://127.0.0.1:6379/0"


def max_in_any_window(times: list[float], window: float = 1.0) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t < start + window) for start in ordered)


@pytest.fixture
def redis_store() -> Iterator[RedisSlotStore]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running at 127.0.0.1:6379 (.ci/run starts it)")
    yield RedisSlotStore(client)
    client.close()


class SlotRecorder:
    """A slot store that notes when each slot it hands out begins (what the pacer promises).

    Noted when the reservation returns, not when a thread wakes: a late wake-up on a loaded
    machine would bunch the wake times without the pace being broken.
    """

    def __init__(self, store: RedisSlotStore) -> None:
        self.store, self.slots, self.lock = store, list[float](), threading.Lock()

    def reserve(self, key: str, plan: SlotPlan) -> float:
        wait = self.store.reserve(key, plan)
        with self.lock:
            self.slots.append(time.time() + max(wait, 0.0))
        return wait


def test_threads_sharing_redis_keep_the_pace(redis_store: RedisSlotStore) -> None:
    # A modest rate: at 20/s the scheduling jitter of a loaded 2-core machine dominates.
    plan, key, recorder = SlotPlan(5.0, 0.005), uuid.uuid4().hex, SlotRecorder(redis_store)

    def worker() -> None:
        pacer = Pacer(recorder, key, plan)
        for _ in range(4):
            pacer.wait_turn()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(recorder.slots) == 16  # every turn was granted
    # At most 5 slots begin in any second (less a little for the time a reservation takes to
    # come back). How close to 5/s the threads get is a benchmark figure, not asserted.
    assert max_in_any_window(recorder.slots, window=0.95) <= 5


def test_different_keys_in_redis_do_not_wait_for_each_other(redis_store: RedisSlotStore) -> None:
    plan = SlotPlan(1.0)
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    assert redis_store.reserve(first, plan) <= 0
    assert redis_store.reserve(second, plan) <= 0
    assert redis_store.reserve(first, plan) > 0.9


@pytest.mark.slow
def test_clients_paced_through_redis_stay_under_the_sandbox_limit(
    real_rate_sandbox: Any, redis_store: RedisSlotStore
) -> None:
    settings = LexofficeSettings(
        api_key=SecretStr(real_rate_sandbox.api_key),
        base_url=real_rate_sandbox.base_url,
        pacing_redis_url=REDIS_URL,
        max_attempts=1,  # a 429 must fail the test
    )

    def worker() -> None:
        with httpx.Client() as http, LexofficeClient(settings, http) as client:
            for _ in range(4):
                client.get_profile()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = real_rate_sandbox.control.get("/requests").json()
    assert [entry["status"] for entry in entries] == [200] * 8
    assert max_in_any_window([entry["time"] for entry in entries]) <= 2
