"""Reading request rates from the sandbox's request log (tests and benchmarks)."""

from __future__ import annotations


def most_in_one_second(times: list[float]) -> int:
    """The most requests whose arrival times fall into any one-second window."""
    ordered, best, left = sorted(times), 0, 0
    for right, moment in enumerate(ordered):
        while moment - ordered[left] >= 1.0:
            left += 1
        best = max(best, right - left + 1)
    return best
