"""One lexoffice request: pace, send, classify, retry. The single retry layer of the client.

Retry rules (bounded attempts, exponential backoff with jitter, every attempt paced):
- 429 and 503 and connect failures: lexoffice did not perform the call → retry any method.
- 500, 502, 504, read timeouts and lost responses: the call may have been performed.
  GET, PUT and DELETE are retried (a repeated PUT carries the old version and gets a 409,
  which the caller handles). A POST is never repeated: `OutcomeUnknownError`.
- A DELETE retried after an unknown outcome that then gets 404 counts as done: the first
  attempt deleted the resource, which is what the caller asked for.
"""

from __future__ import annotations

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
    error_for_response,
)
from connectors.lexoffice.pacing import Pacer
from connectors.lexoffice.search import Params, query_string
from connectors.lexoffice.settings import LexofficeSettings
from connectors.lexoffice.stats import REQUEST_STATS, RequestStats

logger = logging.getLogger(__name__)

NOT_PERFORMED_STATUSES = frozenset({429, 503})
MAYBE_PERFORMED_STATUSES = frozenset({500, 502, 504})
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
REPEATABLE_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD"})


@dataclass
class _Attempt:
    """What one attempt ended with: a final response or an error, and whether to retry."""

    response: httpx.Response | None = None
    error: LexofficeError | None = None
    retry: bool = False
    maybe_performed: bool = False


class Transport:
    """Sends requests for one connection (settings, HTTP client, pacer)."""

    def __init__(
        self,
        settings: LexofficeSettings,
        http: httpx.Client,
        pacer: Pacer,
        sleep: Callable[[float], None] = time.sleep,
        stats: RequestStats = REQUEST_STATS,
    ) -> None:
        self.settings = settings
        self.http = http
        self.pacer = pacer
        self._sleep = sleep
        self.stats = stats

    def request(
        self, method: str, path: str, *, params: Params | None = None, body: Any = None
    ) -> httpx.Response:
        """Send `method path` and return the successful response, or raise a LexofficeError."""
        request = self._build(method, path, params, body)
        maybe_performed = False
        for attempt in range(1, self.settings.max_attempts + 1):
            outcome = self._attempt(request, path, body, maybe_performed)
            maybe_performed = maybe_performed or outcome.maybe_performed
            if not outcome.retry or attempt == self.settings.max_attempts:
                return self._finish(outcome)
            self._back_off(method, path, attempt)
        raise AssertionError("unreachable: max_attempts >= 1")

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
        except NOT_SENT_ERRORS as exc:
            return self._network_failure(request, path, exc, performed=False, body=body)
        except httpx.TransportError as exc:
            return self._network_failure(request, path, exc, performed=True, body=body)
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
            return _Attempt(response=response)
        if method == "DELETE" and status == 404 and maybe_performed:
            return _Attempt(response=response)
        error = error_for_response(method, path, status, self._redact(response.text))
        if status in NOT_PERFORMED_STATUSES:
            return _Attempt(error=error, retry=True)
        if status in MAYBE_PERFORMED_STATUSES:
            return self._maybe_performed(method, path, error, body)
        return _Attempt(error=error)

    def _network_failure(
        self,
        request: httpx.Request,
        path: str,
        exc: httpx.TransportError,
        performed: bool,
        body: Any,
    ) -> _Attempt:
        reason = type(exc).__name__  # never str(exc): keep whatever httpx saw out of messages
        logger.warning("lexoffice %s %s failed: %s", request.method, path, reason)
        error = ConnectionFailedError(request.method, path, None, reason)
        if not performed:
            return _Attempt(error=error, retry=True)
        return self._maybe_performed(request.method, path, error, body)

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

    def _back_off(self, method: str, path: str, attempt: int) -> None:
        ceiling = self.settings.backoff_base_seconds * 2 ** (attempt - 1)
        delay = min(self.settings.backoff_cap_seconds, ceiling) * random.uniform(0.5, 1.0)
        logger.info("lexoffice %s %s: retry %d in %.2fs", method, path, attempt, delay)
        started = time.perf_counter()
        self._sleep(delay)
        self.stats.record_backoff(time.perf_counter() - started)

    def _redact(self, text: str) -> str:
        secret = self.settings.api_key.get_secret_value()
        return text.replace(secret, "[redacted]") if secret else text
