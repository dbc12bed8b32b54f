"""A Redis pacing store, so several machines share one API key's 2 requests/s."""

from __future__ import annotations

from typing import cast

import redis

from connectors.lexoffice.pacing import SlotPlan

_KEY_PREFIX = "lexsync:lexoffice:pacing:"


class RedisSlotStore:
    """Reserved send times in a Redis list per key fingerprint, changed under WATCH/MULTI.

    The clock is Redis's (`TIME`), so machines with drifting clocks still agree.
    """

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, url: str) -> RedisSlotStore:
        return cls(redis.Redis.from_url(url))

    def reserve(self, key: str, plan: SlotPlan) -> float:
        redis_key = _KEY_PREFIX + key
        with self.client.pipeline() as pipe:
            while True:
                try:
                    return self._try_reserve(pipe, redis_key, plan)
                except redis.WatchError:
                    continue  # another worker reserved first; read again

    def _try_reserve(self, pipe: redis.client.Pipeline, redis_key: str, plan: SlotPlan) -> float:
        pipe.watch(redis_key)
        # After WATCH the pipeline runs commands at once and returns their results.
        seconds, micros = cast(tuple[int, int], pipe.time())
        now = seconds + micros / 1_000_000
        stored = cast(list[bytes], pipe.lrange(redis_key, 0, -1))
        reserved = sorted(float(value) for value in stored)
        slot = plan.next_slot(reserved, now)
        pipe.multi()
        pipe.delete(redis_key)
        pipe.rpush(redis_key, *(f"{value:.6f}" for value in plan.remembered(reserved, slot)))
        pipe.expire(redis_key, 60)
        pipe.execute()
        return slot - now
