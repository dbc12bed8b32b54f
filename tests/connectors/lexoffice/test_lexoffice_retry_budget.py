"""Faults are waited out within a total retry budget per request (issue 14 item 4).

The client gets a fake clock whose `sleep` only moves the clock: a minute of 429s is ridden
out at once, and the waits the client chose are what the test asserts.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import OutcomeUnknownError, RateLimitedError, ServerError
from connectors.lexoffice.settings import LexofficeSettings
from tests.connectors.lexoffice.test_lexoffice_transport_faults import new_company

PROFILE = "/v1/profile"


class FakeClock:
    """Monotonic time that only `sleep` advances; remembers every wait."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def realistic(make_settings: Any, **overrides: Any) -> LexofficeSettings:
    """The default retry settings (backoff 0.5 s doubling to 8 s, budget 90 s)."""
    defaults = LexofficeSettings.model_fields
    values = {
        "backoff_base_seconds": defaults["backoff_base_seconds"].default,
        "backoff_cap_seconds": defaults["backoff_cap_seconds"].default,
        "retry_budget_seconds": defaults["retry_budget_seconds"].default,
    }
    return make_settings(**(values | overrides))


def client_with(settings: LexofficeSettings, clock: FakeClock) -> LexofficeClient:
    return LexofficeClient(settings, sleep=clock.sleep, clock=clock)


def statuses(entries: list[dict[str, Any]]) -> list[int | None]:
    return [entry["status"] for entry in entries]


def test_the_default_budget_rides_out_at_least_a_minute() -> None:
    assert LexofficeSettings.model_fields["retry_budget_seconds"].default >= 60


def test_a_burst_of_six_429s_is_ridden_out_with_growing_waits(
    make_settings: Any, inject_fault: Any, sandbox_requests: Any
) -> None:
    clock = FakeClock()
    inject_fault("GET", PROFILE, "429", count=6)
    with client_with(realistic(make_settings), clock) as client:
        assert client.get_profile().organization_id
    assert statuses(sandbox_requests("GET", PROFILE)) == [429] * 6 + [200]
    ceilings = [0.5, 1, 2, 4, 8, 8]
    assert len(clock.waits) == 6
    for wait, ceiling in zip(clock.waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling  # exponential backoff with jitter


def test_retry_after_is_waited_exactly_when_the_server_sends_it(
    make_settings: Any, inject_fault: Any
) -> None:
    clock = FakeClock()
    inject_fault("POST", "/v1/contacts", "429", count=2, retryAfter=7)
    with client_with(realistic(make_settings), clock) as client:
        client.create_contact(new_company())
    assert clock.waits == [7.0, 7.0]


def test_429s_beyond_the_budget_give_a_clear_error_after_waiting_it_out(
    make_settings: Any, inject_fault: Any, sandbox_requests: Any
) -> None:
    clock = FakeClock()
    inject_fault("GET", PROFILE, "429", count=1000)
    settings = realistic(make_settings, retry_budget_seconds=60.0)
    with client_with(settings, clock) as client, pytest.raises(RateLimitedError) as caught:
        client.get_profile()
    attempts = len(sandbox_requests("GET", PROFILE))
    assert 50 <= clock.now <= 60  # waited nearly the whole budget, never past it
    assert attempts == len(clock.waits) + 1 and attempts > 6
    assert f"gave up after {attempts} attempts" in str(caught.value)
    assert "retry budget 60 s" in str(caught.value)


def test_a_retry_after_longer_than_the_budget_left_gives_up_at_once(
    make_settings: Any, inject_fault: Any
) -> None:
    clock = FakeClock()
    inject_fault("GET", PROFILE, "429", count=1, retryAfter=120)
    with client_with(realistic(make_settings), clock) as client, pytest.raises(RateLimitedError):
        client.get_profile()
    assert clock.waits == []


@pytest.mark.parametrize("fault", ["503", "commit-500", "504", "timeout"])
def test_reads_wait_out_5xx_and_timeouts_within_the_budget(
    make_settings: Any, inject_fault: Any, sandbox_requests: Any, fault: str
) -> None:
    clock = FakeClock()
    inject_fault("GET", PROFILE, fault, count=5, delay=1.0)
    settings = realistic(make_settings, read_timeout=0.3)
    with client_with(settings, clock) as client:
        assert client.get_profile().organization_id
    assert len(sandbox_requests("GET", PROFILE)) == 6 and len(clock.waits) == 5


def test_lasting_5xx_on_a_read_ends_as_server_error_when_the_budget_is_spent(
    make_settings: Any, inject_fault: Any
) -> None:
    clock = FakeClock()
    inject_fault("GET", PROFILE, "503", count=1000)
    with client_with(realistic(make_settings), clock) as client, pytest.raises(ServerError) as e:
        client.get_profile()
    assert clock.now <= 90 and "retry budget 90 s" in str(e.value)


def test_a_write_keeps_the_maybe_performed_rule_and_does_not_wait(
    make_settings: Any, inject_fault: Any
) -> None:
    clock = FakeClock()
    inject_fault("POST", "/v1/contacts", "503", count=1)
    with client_with(realistic(make_settings), clock) as client, pytest.raises(OutcomeUnknownError):
        client.create_contact(new_company())
    assert clock.waits == []
