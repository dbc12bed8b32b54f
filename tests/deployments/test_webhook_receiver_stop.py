"""The receiver's server stops on SIGINT or SIGTERM at any moment and says whether it had
listened: a stop before it listens is an interruption (the CLI exits 130)."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from starlette.applications import Starlette

from deployments.webhooks.server import StopSignals, serve


def recording_app(events: list[str], signal_on_start: signal.Signals | None = None) -> Starlette:
    """An app whose start-up is recorded (and, if asked, sends this process a signal)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        events.append("started")
        if signal_on_start is not None:
            signal.raise_signal(signal_on_start)
        yield
        events.append("stopped")

    return Starlette(lifespan=lifespan)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_before_serving_starts_nothing(stop_signal: signal.Signals) -> None:
    events: list[str] = []
    with StopSignals() as stop:
        signal.raise_signal(stop_signal)  # e.g. while the receiver loads its connections

        listened = serve(recording_app(events), "127.0.0.1", 0, stop)

    assert listened is False and events == []


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_app_starts_is_an_interruption_and_stops_the_app(
    stop_signal: signal.Signals,
) -> None:
    events: list[str] = []
    with StopSignals() as stop:
        listened = serve(recording_app(events, stop_signal), "127.0.0.1", 0, stop)

    assert listened is False and events == ["started", "stopped"]


def test_the_signal_handlers_are_given_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopSignals() as stop:
        serve(recording_app([], signal.SIGTERM), "127.0.0.1", 0, stop)
    assert signal.getsignal(signal.SIGTERM) is before
