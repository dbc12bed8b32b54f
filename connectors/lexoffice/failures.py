"""Which failed lexoffice requests may have been performed: the one classification table.

lexoffice has no idempotency keys. Only a 429 is documented as "the call was not performed";
a request that never left this machine (no connection made) was not performed either. Every
other failure after the request went out may have been performed by lexoffice: a 5xx of any
kind (503 included: a gateway can answer it after the backend committed), a read or write
timeout, a dropped connection, or a 2xx whose body cannot be read.

What the transport does with each class (the same table is in docs/architecture.md):

| failure                                   | class           | GET, PUT ¹, DELETE ¹ | POST    |
| ----------------------------------------- | --------------- | -------------------- | ------- |
| HTTP 429                                  | not performed   | wait, retry          | wait, retry |
| no connection made (connect error/timeout) | not performed  | wait, retry          | wait, retry |
| HTTP 5xx (500, 502, 503, 504, …)          | outcome unknown | wait, retry          | look up ² |
| read or write timeout                     | outcome unknown | wait, retry          | look up ² |
| connection dropped, protocol error        | outcome unknown | wait, retry          | look up ² |
| 2xx whose body cannot be read             | outcome unknown | wait, retry          | look up ² |
| other 4xx (400, 401, 403, 404, 406, 409…) | final           | raise                | raise   |

¹ A PUT that was performed bumped the version: its repeat carries the old version and gets a
  409 (`VersionConflictError`), so it never overwrites a newer version; the caller re-reads.
  A repeated DELETE that gets 404 counts as done.
² `OutcomeUnknownError` at once: the caller looks the record up before anything is sent
  again (invoices by their reference in the voucherlist, contacts and articles through the
  pending-create markers).
Every retry waits (Retry-After when sent, else exponential backoff with jitter) within the
request's total retry budget (`LexofficeSettings.retry_budget_seconds`).
"""

from __future__ import annotations

import enum

import httpx


class Performed(enum.StrEnum):
    """Whether lexoffice may have performed a request that failed."""

    NOT_PERFORMED = "not performed"
    OUTCOME_UNKNOWN = "outcome unknown"
    FINAL = "final"


# Failures raised by httpx before any byte of the request could reach lexoffice.
NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
NOT_PERFORMED_STATUSES = frozenset({429})
# Methods whose repeat after an unknown outcome does no harm (see ¹ above).
REPEATABLE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})

# The table above, as data: (failure, class). `classify_*` below read it; tests check each row.
CLASSIFICATION: tuple[tuple[str, Performed], ...] = (
    ("HTTP 429", Performed.NOT_PERFORMED),
    ("no connection made", Performed.NOT_PERFORMED),
    ("HTTP 5xx", Performed.OUTCOME_UNKNOWN),
    ("read/write timeout", Performed.OUTCOME_UNKNOWN),
    ("connection dropped", Performed.OUTCOME_UNKNOWN),
    ("unreadable 2xx body", Performed.OUTCOME_UNKNOWN),
    ("other 4xx", Performed.FINAL),
)
_CLASS = dict(CLASSIFICATION)


def classify_status(status: int) -> Performed:
    """The class of a failed (non-2xx) answer."""
    if status in NOT_PERFORMED_STATUSES:
        return _CLASS["HTTP 429"]
    if status >= 500:
        return _CLASS["HTTP 5xx"]
    return _CLASS["other 4xx"]


def classify_network(error: httpx.TransportError) -> Performed:
    """The class of a request that got no answer."""
    if isinstance(error, NOT_SENT_ERRORS):
        return _CLASS["no connection made"]
    if isinstance(error, httpx.TimeoutException):
        return _CLASS["read/write timeout"]
    return _CLASS["connection dropped"]


def unreadable_body(method: str, response: httpx.Response) -> bool:
    """A success whose JSON body cannot be read (lexoffice answers JSON to GET, POST, PUT)."""
    if method not in {"GET", "POST", "PUT"} or response.status_code == 204:
        return False
    try:
        response.json()
    except ValueError:
        return True
    return False


def classify_unreadable() -> Performed:
    return _CLASS["unreadable 2xx body"]
