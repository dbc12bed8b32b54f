"""lexoffice's rate limit: one token bucket per API key over all /v1 endpoints together."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """`capacity` tokens, refilled continuously at `rate` tokens per second."""

    rate: float
    capacity: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def take(self) -> bool:
        """Spend one token; False (and nothing spent) when the bucket is empty."""
        current = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (current - self.stamp) * self.rate)
        self.stamp = current
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class RateLimiter:
    """The buckets of all API keys."""

    def __init__(self, rps: float, burst: int) -> None:
        self.rps = rps
        self.burst = max(1, burst)
        self.buckets: dict[str, TokenBucket] = {}

    def allow(self, api_key: str) -> bool:
        """Whether a request of this key may be performed now."""
        bucket = self.buckets.get(api_key)
        if bucket is None:
            bucket = self.buckets[api_key] = TokenBucket(self.rps, float(self.burst))
        return bucket.take()

    def reset(self, api_key: str | None = None) -> None:
        """Refill one key's bucket (or all)."""
        if api_key is None:
            self.buckets.clear()
        else:
            self.buckets.pop(api_key, None)
