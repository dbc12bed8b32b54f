"""The slot-reservation rule and the file store, on one machine without a server."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from connectors.lexoffice.pacing import FileSlotStore, Pacer, SlotPlan


def max_in_any_window(times: list[float], window: float) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t < start + window) for start in ordered)


def test_slots_never_put_more_than_rate_sends_into_one_second() -> None:
    plan, reserved = SlotPlan(2.0, 0.05), list[float]()
    for _ in range(40):
        reserved.append(plan.next_slot(reserved, now=100.0))
    assert max_in_any_window(reserved, 1.0) == 2
    sustained = (len(reserved) - 1) / (reserved[-1] - reserved[0])
    assert sustained >= 1.8


def test_an_idle_key_sends_at_once() -> None:
    plan = SlotPlan(2.0)
    assert plan.next_slot([50.0, 50.5], now=60.0) == 60.0


def test_only_the_last_few_slots_are_remembered() -> None:
    plan = SlotPlan(2.0)
    assert plan.remembered([1.0, 2.0], 3.0) == [2.0, 3.0]


def test_fractional_rates_space_sends_evenly() -> None:
    plan, reserved = SlotPlan(0.5, 0.0), [10.0]
    assert plan.next_slot(reserved, now=10.0) == 12.0


def test_threads_sharing_a_file_store_keep_the_pace(tmp_path: Path) -> None:
    plan = SlotPlan(rate_per_second=20.0, margin_seconds=0.005)
    sent: list[float] = []

    def worker() -> None:
        pacer = Pacer(FileSlotStore(tmp_path), "key", plan)
        for _ in range(5):
            pacer.wait_turn()
            sent.append(time.time())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sent) == 20
    assert max_in_any_window(sent, 1.0) <= 20


def test_different_keys_do_not_wait_for_each_other(tmp_path: Path) -> None:
    plan = SlotPlan(rate_per_second=1.0)
    store = FileSlotStore(tmp_path)
    assert store.reserve("key-a", plan) <= 0
    assert store.reserve("key-b", plan) <= 0
    assert store.reserve("key-a", plan) > 0.9


def test_slots_left_by_a_clock_that_jumped_back_are_ignored() -> None:
    plan = SlotPlan(2.0)
    assert plan.next_slot([5000.0, 5000.5], now=100.0) == 100.0
