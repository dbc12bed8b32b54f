"""Process-wide tuning for the flow processes a worker starts (one process per flow run).

A flow process imports Prefect, pandas, SQLAlchemy and pydantic: hundreds of thousands of
long-lived objects. Python's cyclic garbage collector would re-scan all of them on every
full collection, which the sync's many small allocations trigger again and again (measured:
1.7 s of a 4.2 s nothing-changed sync of 10,000 customers). `gc.freeze()` moves what exists
after the imports into a generation the collector never scans. Done once per process, so a
long-lived process (the receiver running flows in-process, the tests) freezes only its
imports, never later garbage.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_imported_objects() -> None:
    """Keep the garbage collector off the objects the imports created (first call only)."""
    global _frozen
    with _lock:
        if not _frozen:
            gc.freeze()
            _frozen = True
