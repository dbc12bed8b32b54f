"""Fixtures of the deployment tests: a real Prefect server for those that deploy prefect.yaml."""

from __future__ import annotations

from tests.support.prefect_server import prefect_env, prefect_server

__all__ = ["prefect_env", "prefect_server"]
