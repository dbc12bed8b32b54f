"""What every part of `lexsync up` is started with: the service's API, no telemetry."""

from __future__ import annotations

from deployments.service import Service, _base_env


def test_every_part_starts_without_telemetry_and_with_the_service_api() -> None:
    env = _base_env(Service(prefect_port=4321), {"PATH": "/usr/bin"})
    assert env["DO_NOT_TRACK"] == "1"
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert env["PREFECT_API_URL"] == "http://127.0.0.1:4321/api"


def test_an_admin_who_wants_telemetry_keeps_it() -> None:
    env = _base_env(Service(), {"PREFECT_SERVER_ANALYTICS_ENABLED": "true"})
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true"
