"""Injected faults: answers lexoffice's gateway gives when things go wrong.

Kinds:
- `429`, `500`, `502`, `503`: answered before the call is performed (nothing changes);
- `504`: the call is performed, then `{"message":"Endpoint request timed out"}` is sent;
- `commit-500`, `commit-502`, `commit-503`: the call is performed (committed), then the
  gateway answers that status anyway — why a client may treat no 5xx as "not performed";
- `timeout`: the call is performed, the answer is held back for `delay` seconds;
- `lose_response`: the call is performed, then the connection is dropped without an answer;
- `unreadable`: the call is performed, then a 200 with an HTML body instead of JSON is sent.

429 has no commit-then kind: lexoffice documents that a 429 was not performed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError

BEFORE = {"429", "500", "502", "503"}
# The status the gateway answers after the call was performed.
AFTER_STATUS = {"504": 504, "commit-500": 500, "commit-502": 502, "commit-503": 503}
AFTER = {*AFTER_STATUS, "timeout", "lose_response", "unreadable"}
KINDS = BEFORE | AFTER


@dataclass
class FaultRule:
    """Fault the next `remaining` requests that match method and path prefix."""

    kind: str
    remaining: int = 1
    method: str | None = None
    path: str | None = None
    delay: float = 35.0
    organization_id: str | None = None
    # Seconds for a Retry-After header (lexoffice documents none; a gateway may send one).
    retry_after: float | None = None
    id: int = 0

    def matches(self, method: str, path: str, organization_id: str | None) -> bool:
        if self.remaining <= 0:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path and not path.startswith(self.path):
            return False
        return not (self.organization_id and self.organization_id != organization_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fault": self.kind,
            "remaining": self.remaining,
            "method": self.method,
            "path": self.path,
            "delay": self.delay,
            "organizationId": self.organization_id,
            "retryAfter": self.retry_after,
        }


@dataclass
class RandomFaults:
    """Fault a share `rate` of matching requests, reproducibly from `seed`."""

    rate: float
    seed: int = 0
    kinds: list[str] = field(default_factory=lambda: ["429", "500", "503"])
    method: str | None = None
    path: str | None = None
    delay: float = 35.0
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def roll(self, method: str, path: str) -> FaultRule | None:
        probe = FaultRule("x", 1, self.method, self.path)
        if not probe.matches(method, path, None) or self.rng.random() >= self.rate:
            return None
        return FaultRule(self.rng.choice(self.kinds), 1, delay=self.delay)

    def to_json(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "seed": self.seed,
            "faults": self.kinds,
            "method": self.method,
            "path": self.path,
            "delay": self.delay,
        }


class FaultInjector:
    """The armed faults; the gateway asks it once per /v1 request."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.random: RandomFaults | None = None
        self._next_id = 1

    def add(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Arm faults from a control-API body; returns what was armed."""
        if "rate" in spec:
            kinds = [str(kind) for kind in spec.get("faults", ["429", "500", "503"])]
            _check_kinds(kinds)
            self.random = RandomFaults(
                rate=float(spec["rate"]),
                seed=int(spec.get("seed", 0)),
                kinds=kinds,
                method=spec.get("method"),
                path=spec.get("path"),
                delay=float(spec.get("delay", 35.0)),
            )
            return {"random": self.random.to_json()}
        kind = str(spec.get("fault", spec.get("status", "")))
        _check_kinds([kind])
        rule = FaultRule(
            kind=kind,
            remaining=int(spec.get("count", 1)),
            method=spec.get("method"),
            path=spec.get("path"),
            delay=float(spec.get("delay", 35.0)),
            organization_id=spec.get("organizationId"),
            retry_after=_optional_float(spec.get("retryAfter")),
            id=self._next_id,
        )
        self._next_id += 1
        self.rules.append(rule)
        return rule.to_json()

    def pick(self, method: str, path: str, organization_id: str | None) -> FaultRule | None:
        """The fault for this request, if any (consumes one use of a rule)."""
        for rule in self.rules:
            if rule.matches(method, path, organization_id):
                rule.remaining -= 1
                return rule
        return self.random.roll(method, path) if self.random else None

    def clear(self) -> None:
        self.rules.clear()
        self.random = None

    def to_json(self) -> dict[str, Any]:
        rules = [rule.to_json() for rule in self.rules if rule.remaining > 0]
        return {"rules": rules, "random": self.random.to_json() if self.random else None}


def _check_kinds(kinds: list[str]) -> None:
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise ApiError(400, message=f"unknown fault {unknown}; use one of {sorted(KINDS)}")


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)
