"""Request figures of this process: requests sent, answers by status, and time spent waiting.

Every `Transport` adds to one process-wide `REQUEST_STATS` (or to the one it is given), so a
benchmark can tell local processing apart from waiting for the rate limit (pacing and retry
backoff) and for lexoffice's answers (HTTP round trips), whichever client a flow built.
Counting costs one uncontended lock per request, nothing next to the request itself.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

# The status recorded when no answer came back (connection failed, timeout, lost response).
NO_RESPONSE = 0


@dataclass(frozen=True)
class RequestFigures:
    """A snapshot of the counters; `since(earlier)` gives what happened in between."""

    attempts: int = 0
    pacing_seconds: float = 0.0
    backoff_seconds: float = 0.0
    http_seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    def since(self, earlier: RequestFigures) -> RequestFigures:
        statuses = Counter(self.statuses)
        statuses.subtract(earlier.statuses)
        return RequestFigures(
            attempts=self.attempts - earlier.attempts,
            pacing_seconds=self.pacing_seconds - earlier.pacing_seconds,
            backoff_seconds=self.backoff_seconds - earlier.backoff_seconds,
            http_seconds=self.http_seconds - earlier.http_seconds,
            statuses={status: count for status, count in statuses.items() if count},
        )


class RequestStats:
    """Thread-safe counters, added to by every request attempt of the transports using it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._attempts = 0
        self._pacing = 0.0
        self._backoff = 0.0
        self._http = 0.0
        self._statuses: Counter[int] = Counter()

    def record_pacing(self, seconds: float) -> None:
        """Time spent in the pacer before an attempt (reserving a slot, sleeping until it)."""
        with self._lock:
            self._pacing += seconds

    def record_backoff(self, seconds: float) -> None:
        """Time slept between attempts after a retryable failure (429, 503, …)."""
        with self._lock:
            self._backoff += seconds

    def record_attempt(self, seconds: float, status: int | None) -> None:
        """One request sent: its round trip (send, wait, read the body) and its status."""
        with self._lock:
            self._attempts += 1
            self._http += seconds
            self._statuses[NO_RESPONSE if status is None else status] += 1

    def snapshot(self) -> RequestFigures:
        with self._lock:
            return RequestFigures(
                self._attempts, self._pacing, self._backoff, self._http, dict(self._statuses)
            )


REQUEST_STATS = RequestStats()
