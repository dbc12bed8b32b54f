"""Which events a connection wants is re-read while the receiver runs: at most once per TTL,
the last known set kept when a read fails."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import pytest

from deployments.webhooks.following import WantedEvents


class Settings:
    """The block as the receiver reads it: what it answers now, how often it was asked."""

    def __init__(self, types: Iterable[str]) -> None:
        self.types, self.asked, self.failing = frozenset(types), 0, False

    def read(self) -> frozenset[str]:
        self.asked += 1
        if self.failing:
            raise ConnectionError("Prefect server restarting")
        return self.types


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def wanted_now(wanted: WantedEvents) -> frozenset[str]:
    return asyncio.run(wanted.types())


def test_settings_are_read_at_most_once_per_ttl() -> None:
    block, clock = Settings({"contact.changed", "article.changed"}), Clock()
    wanted = WantedEvents({"contact.changed"}, block.read, ttl_seconds=5.0, clock=clock)

    assert [wanted_now(wanted) for _ in range(100)] == [frozenset({"contact.changed"})] * 100
    assert block.asked == 0  # within the TTL of the start

    clock.now += 5.0
    assert wanted_now(wanted) == {"contact.changed", "article.changed"}
    assert [wanted_now(wanted) for _ in range(100)] == [block.types] * 100
    assert block.asked == wanted.reads == 1


def test_a_failed_read_keeps_the_last_settings_and_is_tried_again_after_the_ttl(
    caplog: pytest.LogCaptureFixture,
) -> None:
    block, clock = Settings({"article.changed"}), Clock()
    wanted = WantedEvents({"contact.changed"}, block.read, ttl_seconds=5.0, clock=clock)
    block.failing = True
    clock.now += 5.0

    assert wanted_now(wanted) == {"contact.changed"}
    assert wanted_now(wanted) == {"contact.changed"}  # not asked again at once
    assert block.asked == 1
    assert "the last ones stay in force" in caplog.text

    block.failing = False
    clock.now += 5.0
    assert wanted_now(wanted) == {"article.changed"}
    assert block.asked == 2


def test_fixed_settings_are_never_read() -> None:
    clock = Clock()
    wanted = WantedEvents({"contact.changed"}, clock=clock)
    clock.now += 3600
    assert wanted_now(wanted) == {"contact.changed"} and wanted.reads == 0
