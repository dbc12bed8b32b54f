"""The sync benchmark's figures: minimum requests, budget used, local processing; the tables.

Minimum requests = list pages + necessary writes, where
- list pages = Σ max(1, ⌈n / 250⌉) over the five listings a full sync must read, with n the
  records lexoffice holds for that listing when the sync starts: contacts with the customer
  role, articles of type PRODUCT, articles of type SERVICE, and the voucherlist for order
  confirmations and for delivery notes (250 is lexoffice's largest page; an empty listing
  still costs one page);
- necessary writes = one POST per system record lexoffice does not have yet (customers not
  archived, products not excluded from the sync) plus one PUT per linked record changed in
  the system. Changes made in lexoffice need no request: the listing already carries them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

PAGE_SIZE = 250
LIST_PATHS = frozenset({"/v1/contacts", "/v1/articles", "/v1/voucherlist"})
EXPORT = "system → lexoffice"
IMPORT = "lexoffice → system"


@dataclass(frozen=True)
class Listings:
    """How many records each listing of a full sync returns (documents: none here)."""

    customers: int
    products: int
    services: int = 0
    order_confirmations: int = 0
    delivery_notes: int = 0

    def pages(self) -> int:
        """One listing per collection: contacts, articles (both types), the voucherlist."""
        sizes = (
            self.customers,
            self.products + self.services,
            self.order_confirmations + self.delivery_notes,
        )
        return sum(max(1, math.ceil(n / PAGE_SIZE)) for n in sizes)

    def after(self, result: dict[str, Any]) -> Listings:
        """The listings once a sync's creates in lexoffice are there."""
        created = _counts(result, EXPORT, "created")
        return replace(
            self,
            customers=self.customers + created.get("customers", 0),
            products=self.products + created.get("products", 0),
            services=self.services + created.get("activities", 0),
        )


@dataclass(frozen=True)
class RunFigures:
    """Everything printed about one sync run."""

    title: str
    rate: float
    changes: str
    sent: int
    minimum: int
    pages: int
    writes: int
    kinds: dict[str, int]
    sandbox_429: int
    client_429: int
    wall: float
    pacing: float
    http: float
    local: float
    cpu: float
    gc: float
    peak_rss_mb: float
    rss_before_mb: float
    did: str

    @classmethod
    def from_run(
        cls,
        title: str,
        rate: float,
        listings: Listings,
        writes: int,
        changes: str,
        result: dict[str, Any],
        log: list[dict[str, Any]],
    ) -> RunFigures:
        api = [entry for entry in log if entry["path"].startswith("/v1")]
        waited = result["pacing"] + result["backoff"]
        return cls(
            title=title,
            rate=rate,
            changes=changes,
            sent=len(api),
            minimum=listings.pages() + writes,
            pages=listings.pages(),
            writes=writes,
            kinds=dict(Counter(_kind(entry) for entry in api)),
            sandbox_429=sum(1 for entry in api if entry["status"] == 429),
            client_429=int(result["statuses"].get("429", 0)),
            wall=result["wall"],
            pacing=waited,
            http=result["http"],
            local=result["wall"] - waited - result["http"],
            cpu=result["cpu"],
            gc=result.get("gc", 0.0),
            peak_rss_mb=result["peak_rss_mb"],
            rss_before_mb=result["rss_before_mb"],
            did=_did(result),
        )

    @property
    def floor(self) -> float:
        """The shortest wall time the rate limit allows for the requests sent."""
        return self.sent / self.rate

    @property
    def local_shown(self) -> str:
        """Wall less waiting and HTTP: meaningless once requests overlap (their times add up
        to more than the wall time), then shown as n/a; the CPU time still tells."""
        return f"{self.local:.1f} s" if self.local >= 0 else "n/a (requests overlap)"

    @property
    def budget_used(self) -> float:
        return self.floor / self.wall if self.wall else 0.0

    def rows(self) -> list[tuple[str, str]]:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.kinds.items()))
        return [
            ("sandbox rate limit", f"{self.rate:g} requests/s"),
            ("changes before the run", self.changes),
            ("what the sync did", self.did),
            ("requests sent", f"{self.sent:,} ({kinds or 'none'})"),
            ("minimum requests", f"{self.minimum:,} ({self.pages} list pages + "
             f"{self.writes:,} writes)"),
            ("requests ÷ minimum", f"{self.sent / self.minimum:.3f}"),
            ("wall time of the sync", f"{self.wall:.1f} s"),
            ("requests ÷ rate (the floor)", f"{self.floor:.1f} s"),
            ("wall ÷ floor", f"{self.wall / self.floor:.3f}" if self.sent else "n/a"),
            ("rate budget used", f"{100 * self.budget_used:.1f} %"),
            ("429s (sandbox log / client)", f"{self.sandbox_429} / {self.client_429}"),
            ("waiting for the rate limit", f"{self.pacing:.1f} s"),
            ("HTTP round trips", f"{self.http:.1f} s"),
            ("local processing", f"{self.local_shown} (CPU {self.cpu:.1f} s, of which "
             f"garbage collection {self.gc:.1f} s)"),
            ("peak RSS of the sync process", f"{self.peak_rss_mb:.0f} MB "
             f"({self.rss_before_mb:.0f} MB after imports)"),
        ]  # fmt: skip


def print_run(figures: RunFigures) -> None:
    print(f"\n### {figures.title}\n")
    print("| figure | value |\n| --- | --- |")
    for name, value in figures.rows():
        print(f"| {name} | {value} |")
    print(flush=True)


def print_summary(runs: list[RunFigures]) -> None:
    """One line per run, the figures the targets are about."""
    print("\n### Summary\n")
    print(
        "| run | rate/s | requests | minimum | ratio | wall s | floor s | budget | 429s "
        "| local s | CPU s | peak RSS MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for run in runs:
        print(
            f"| {run.title} | {run.rate:g} | {run.sent:,} | {run.minimum:,} "
            f"| {run.sent / run.minimum:.3f} | {run.wall:.1f} | {run.floor:.1f} "
            f"| {100 * run.budget_used:.1f} % | {run.sandbox_429} | {run.local_shown} "
            f"| {run.cpu:.1f} | {run.peak_rss_mb:.0f} |"
        )
    print(flush=True)


def _kind(entry: dict[str, Any]) -> str:
    method, path = entry["method"], entry["path"]
    if method == "GET":
        return "list pages" if path in LIST_PATHS else "single GETs"
    return f"{method}s"


def _counts(result: dict[str, Any], direction: str, what: str) -> dict[str, int]:
    return {
        section["entity"]: int(section["counts"].get(what, 0))
        for section in result["sections"]
        if section["direction"] == direction
    }


def _did(result: dict[str, Any]) -> str:
    parts = []
    for direction, label in ((EXPORT, "in lexoffice"), (IMPORT, "in the system")):
        for what in ("created", "updated", "linked"):
            counts = _counts(result, direction, what)
            if total := sum(counts.values()):
                parts.append(f"{total:,} {what} {label}")
    parts.append(f"{result['failed']} failed, {result['problems']} problems reported")
    return "; ".join(parts)
