"""The flow fixtures (Prefect harness, sandbox, system database on SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.flows.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    _under_prefect_harness,
    connection_block,
    sandbox,
    sessions,
    system_url,
)
