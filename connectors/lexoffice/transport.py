"""One lexoffice request: pace, send, classify, wait, retry. The single retry layer.

Which failures are retried, and which make a POST `OutcomeUnknownError`, is the table in
`connectors.lexoffice.failures`. Every retry waits — the server's Retry-After when it sends
one, else exponential backoff with jitter — and all attempts of one request together stay
within `settings.retry_budget_seconds` (≥ 60 s by default: lexoffice asks a client that
exceeds its rate to wait, not to give up). When the next wait would overrun the budget, the
last error is raised, saying how many attempts were made over how long.
The clock and the sleep are injected, so tests can ride out a minute of 429s at once.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.lexoffice.errors import (
    ConnectionFailedError,
    LexofficeError,
    OutcomeUnknownError,
    ServerError,
    error_for_response,
)
from connectors.lexoffice.failures import (
    REPEATABLE_METHODS,
    Performed,
    classify_network,
    classify_status,
    classify_unreadable,
    unreadable_body,
)
from connectors.lexoffice.pacing import Pacer
from connectors.lexoffice.search import Params, query_string
from connectors.lexoffice.settings import LexofficeSettings
from connectors.lexoffice.stats import REQUEST_STATS, RequestStats

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER_SECONDS = 3600.0  # a Retry-After beyond this is read as "not within budget"


@dataclass
class _Attempt:
    """What one attempt ended with: a final response or an error, and whether to retry."""

    response: httpx.Response | None = None
    error: LexofficeError | None = None
    retry: bool = False
    maybe_performed: bool = False
    retry_after: float | None = None


@dataclass
class _Budget:
    """The time one request may spend on attempts and waits, from its first attempt."""

    seconds: float
    clock: Callable[[], float]
    started: float = 0.0
    attempts: int = 0

    def start(self) -> None:
        self.started = self.clock()

    def elapsed(self) -> float:
        return self.clock() - self.started

    def allows(self, delay: float) -> bool:
        return self.elapsed() + delay <= self.seconds


class Transport:
    """Sends requests for one connection (settings, HTTP client, pacer)."""

    def __init__(
        self,
        settings: LexofficeSettings,
        http: httpx.Client,
        pacer: Pacer,
        sleep: Callable[[float], None] = time.sleep,
        stats: RequestStats = REQUEST_STATS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.http = http
        self.pacer = pacer
        self._sleep = sleep
        self._clock = clock
        self.stats = stats

    def request(
        self, method: str, path: str, *, params: Params | None = None, body: Any = None
    ) -> httpx.Response:
        """Send `method path` and return the successful response, or raise a LexofficeError."""
        request = self._build(method, path, params, body)
        budget = _Budget(self.settings.retry_budget_seconds, self._clock)
        budget.start()
        maybe_performed = False
        while True:
            budget.attempts += 1
            outcome = self._attempt(request, path, body, maybe_performed)
            maybe_performed = maybe_performed or outcome.maybe_performed
            if not outcome.retry:
                return self._finish(outcome)
            delay = self._delay(outcome, budget.attempts)
            if budget.attempts >= self.settings.max_attempts or not budget.allows(delay):
                return self._give_up(outcome, budget)
            self._wait(method, path, budget.attempts, delay)

    def _build(self, method: str, path: str, params: Params | None, body: Any) -> httpx.Request:
        headers = {
            "Authorization": f"Bearer {self.settings.api_key.get_secret_value()}",
            "Accept": "application/json",
        }
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        url = self.settings.api_root + path
        if params and (query := query_string(params)):
            url = f"{url}?{query}"
        return self.http.build_request(method, url, content=content, headers=headers)

    def _attempt(
        self, request: httpx.Request, path: str, body: Any, maybe_performed: bool
    ) -> _Attempt:
        paced = time.perf_counter()
        self.pacer.wait_turn()
        self.stats.record_pacing(time.perf_counter() - paced)
        try:
            response = self._send(request)
        except httpx.TransportError as exc:
            return self._network_failure(request, path, exc, body)
        logger.debug("lexoffice %s %s → %s", request.method, path, response.status_code)
        return self._classify(request.method, path, response, body, maybe_performed)

    def _send(self, request: httpx.Request) -> httpx.Response:
        """One round trip, counted in `stats` (the benchmark separates it from local work)."""
        started, status = time.perf_counter(), None
        try:
            response = self.http.send(request)
            status = response.status_code
            return response
        finally:
            self.stats.record_attempt(time.perf_counter() - started, status)

    def _classify(
        self, method: str, path: str, response: httpx.Response, body: Any, maybe_performed: bool
    ) -> _Attempt:
        status = response.status_code
        if response.is_success:
            if unreadable_body(method, response):
                return self._unreadable(method, path, status, body)
            return _Attempt(response=response)
        if method == "DELETE" and status == 404 and maybe_performed:
            return _Attempt(response=response)
        error = error_for_response(method, path, status, self._redact(response.text))
        outcome = self._by_class(classify_status(status), method, path, error, body)
        outcome.retry_after = retry_after_seconds(response) if outcome.retry else None
        return outcome

    def _unreadable(self, method: str, path: str, status: int, body: Any) -> _Attempt:
        logger.info("lexoffice %s %s → %s with an unreadable body", method, path, status)
        error = ServerError(method, path, status, "answer could not be read")
        return self._by_class(classify_unreadable(), method, path, error, body)

    def _network_failure(
        self, request: httpx.Request, path: str, exc: httpx.TransportError, body: Any
    ) -> _Attempt:
        reason = type(exc).__name__  # never str(exc): keep whatever httpx saw out of messages
        # INFO, as every attempt: the caller reports the error this ends in, in its words (a
        # WARNING would print an English line beside it on every console).
        logger.info("lexoffice %s %s failed: %s", request.method, path, reason)
        error = ConnectionFailedError(request.method, path, None, reason)
        return self._by_class(classify_network(exc), request.method, path, error, body)

    def _by_class(
        self, performed: Performed, method: str, path: str, error: LexofficeError, body: Any
    ) -> _Attempt:
        """What the classification table says to do with this failure of this method."""
        if performed == Performed.NOT_PERFORMED:
            return _Attempt(error=error, retry=True)
        if performed == Performed.OUTCOME_UNKNOWN:
            return self._maybe_performed(method, path, error, body)
        return _Attempt(error=error)

    def _maybe_performed(
        self, method: str, path: str, error: LexofficeError, body: Any
    ) -> _Attempt:
        if method in REPEATABLE_METHODS:
            return _Attempt(error=error, retry=True, maybe_performed=True)
        unknown = OutcomeUnknownError(method, path, error.status, error.reason, sent_body=body)
        return _Attempt(error=unknown)

    def _finish(self, outcome: _Attempt) -> httpx.Response:
        if outcome.response is not None:
            return outcome.response
        assert outcome.error is not None
        logger.info("lexoffice request failed: %s", outcome.error)
        raise outcome.error

    def _delay(self, outcome: _Attempt, attempt: int) -> float:
        """Retry-After when the server sent one, else exponential backoff with jitter."""
        if outcome.retry_after is not None:
            return outcome.retry_after
        ceiling = self.settings.backoff_base_seconds * 2 ** (attempt - 1)
        return min(self.settings.backoff_cap_seconds, ceiling) * random.uniform(0.5, 1.0)

    def _wait(self, method: str, path: str, attempt: int, delay: float) -> None:
        logger.info("lexoffice %s %s: retry %d in %.2fs", method, path, attempt, delay)
        started = time.perf_counter()
        self._sleep(delay)
        self.stats.record_backoff(time.perf_counter() - started)

    def _give_up(self, outcome: _Attempt, budget: _Budget) -> httpx.Response:
        assert outcome.error is not None
        outcome.error.gave_up(budget.attempts, budget.elapsed(), self.settings.retry_budget_seconds)
        return self._finish(outcome)

    def _redact(self, text: str) -> str:
        secret = self.settings.api_key.get_secret_value()
        return text.replace(secret, "[redacted]") if secret else text


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (delta or HTTP date), if the server sent one.

    lexoffice documents none (lexoffice-api.md, rate limits), but gateways in front of it may.
    """
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value)
    if seconds is None:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _seconds_until(http_date: str) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (when - dt.datetime.now(dt.UTC)).total_seconds()
