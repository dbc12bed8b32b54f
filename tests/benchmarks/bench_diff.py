"""Benchmark of the customer diff: 100,000 system × 100,000 lexoffice customers.

Not collected by pytest. Run: `.venv/bin/python tests/benchmarks/bench_diff.py [N]`.
The data: N linked pairs minus 2 % unlinked on each side (half of those match by customer
number or e-mail, half are new), 5 % of the linked records changed in the system, 5 % in
lexoffice (the overlap, plus 1 % forced, are conflicts). Prints the wall time of
`diff_records` (best of 3), the process's peak RSS, and the tracemalloc peak of one run.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from tasks.diff.engine import diff_records
from tasks.diff.settings import ConflictPolicy, DiffSettings
from tasks.mapping.records import CUSTOMER

SEED = 20261127


def customer_columns(ids: np.ndarray) -> dict[str, pd.Series]:
    """Canonical customer fields derived from integer ids, vectorised."""
    text = pd.Series(ids).astype(str)
    company = ids % 3 == 0
    return {
        "kind": pd.Series(np.where(company, "company", "person")),
        "salutation": pd.Series(["Herr"] * len(ids), dtype="str").where(~company),
        "first_name": ("Vorname " + text).where(~company),
        "last_name": "Nachname " + text,
        "company_name": ("Firma " + text + " GmbH").where(company),
        "billing_street": "Hauptstraße " + (pd.Series(ids) % 200 + 1).astype(str),
        "billing_zip": (pd.Series(ids) % 90000 + 10000).astype(str),
        "billing_city": "Stadt " + (pd.Series(ids) % 500).astype(str),
        "billing_country": pd.Series(["DE"] * len(ids)),
        "shipping_street": pd.Series([None] * len(ids), dtype="str"),
        "shipping_zip": pd.Series([None] * len(ids), dtype="str"),
        "shipping_city": pd.Series([None] * len(ids), dtype="str"),
        "shipping_country": pd.Series([None] * len(ids), dtype="str"),
        "email": "kunde" + text + "@example.de",
        "phone": "+49 30 " + text,
        "mobile": ("+49 170 " + text).where(ids % 2 == 0),
        "note": pd.Series([None] * len(ids), dtype="str"),
        "customer_number": (10000 + pd.Series(ids)).astype(str),
    }


def build_frames(n: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    ids = np.arange(n)
    values = pd.DataFrame(customer_columns(ids))
    lex_ids = pd.Series(ids).map("{:08d}-0000-4000-8000-000000000000".format)
    local = values.assign(local_id=ids, archived=False, excluded=False)
    remote = values.assign(lexoffice_id=lex_ids, version=3, archived=False, writable=True)
    links = values.add_prefix("base_").assign(
        local_id=ids, lexoffice_id=lex_ids, lexoffice_version=3, base_archived=False
    )
    _change(local, rng.choice(n, n // 20, replace=False), "phone", "+49 89 ")
    _change(remote, rng.choice(n, n // 20, replace=False), "email", "neu")
    conflicts = rng.choice(n, n // 100, replace=False)
    _change(local, conflicts, "billing_city", "System-Stadt ")
    _change(remote, conflicts, "billing_city", "Lexoffice-Stadt ")
    unlinked = rng.choice(n, n // 50, replace=False)
    links = links.drop(index=pd.Index(unlinked))
    new_on_each_side = unlinked[: len(unlinked) // 2]
    _change(local, new_on_each_side, "email", "nur-system")
    _change(local, new_on_each_side, "customer_number", "S")
    return local, remote, links


def _change(frame: pd.DataFrame, rows: np.ndarray, column: str, prefix: str) -> None:
    frame.loc[rows, column] = prefix + frame.loc[rows, column].fillna("x").astype(str)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    local, remote, links = build_frames(n)
    settings = DiffSettings(conflict_policy=ConflictPolicy.REPORT_ONLY)
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        plan = diff_records(CUSTOMER, local, remote, links, settings)
        timings.append(time.perf_counter() - started)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    diff_records(CUSTOMER, local, remote, links, settings)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"customers: {n:,} system × {n:,} lexoffice, {len(links):,} links")
    runs = ", ".join(f"{t:.2f}" for t in timings)
    print(f"diff wall time: best {min(timings):.2f} s, runs {runs}")
    print(f"peak RSS of the process: {rss_peak:.0f} MB (inputs built: {rss_before:.0f} MB)")
    print(f"tracemalloc peak during one diff: {traced_peak / 2**20:.0f} MB")
    print(
        "plan: "
        f"{len(plan.system_updates):,} system updates, {len(plan.lexoffice_updates):,} lexoffice "
        f"updates, {len(plan.conflicts):,} conflicts, {len(plan.new_links):,} new links, "
        f"{len(plan.system_creates):,} system creates, {len(plan.lexoffice_creates):,} lexoffice "
        f"creates, {len(plan.skips):,} skips, {len(plan.errors):,} errors, counts {plan.counts}"
    )


if __name__ == "__main__":
    main()
