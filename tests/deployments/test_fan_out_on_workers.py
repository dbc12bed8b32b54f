"""Many companies on real workers: the nightly fan-out deployed from prefect.yaml starts one
full sync per active connection; two workers run them; a company with a revoked key fails on
its own; a disabled company is left out; no account is asked by another company's run."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
from prefect.settings import PREFECT_API_URL, temporary_settings
from pydantic import SecretStr

from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.fieldservice.models import Customer, CustomerKind
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.all_connections import connection_tag
from tasks.connection import LexsyncConnection
from tests.support.databases import ThrowawayDatabases
from tests.support.prefect_server import PREFECT, PROJECT, awaited, run_cli, start, stop
from tests.support.request_rates import most_in_one_second

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
LEXSYNC = str(Path(PREFECT).with_name("lexsync"))
RATE = 4.0  # requests/s per account, as lexsync paces it (lexoffice: 2)


class Company:
    def __init__(self, sandbox: SandboxServer, label: str, database_url: str) -> None:
        created = sandbox.control.post("/organizations", json={"companyName": f"{label} GmbH"})
        self.label, self.api_key = label, created.json()["apiKey"]
        self.organization_id = created.json()["organizationId"]
        self.name, self.database_url = f"{label.lower()}-{uuid.uuid4().hex[:6]}", database_url
        migrate(database_url)
        engine = make_engine(database_url)
        with session_factory(engine).begin() as session:
            for n in range(3):
                session.add(Customer(kind=CustomerKind.PERSON, last_name=f"{label}{n}"))
        engine.dispose()
        sandbox.control.post(
            "/seed/contacts",
            json=[{"person": {"lastName": f"{label}Lex"}, "roles": {"customer": {}}}],
            headers={"X-Sandbox-Api-Key": self.api_key},
        ).raise_for_status()

    def customer_names(self) -> set[str | None]:
        engine = make_engine(self.database_url)
        with session_factory(engine).begin() as session:
            names = set(session.scalars(sa.select(Customer.last_name)))
        engine.dispose()
        return names


@pytest.fixture
def postgres_url(postgres_databases: ThrowawayDatabases) -> Iterator[str]:
    url = postgres_databases.create()
    yield url
    postgres_databases.drop(url)


def add_by_cli(company: Company, sandbox: SandboxServer, env: dict[str, str]) -> None:
    command = [LEXSYNC, "connections", "add", company.name, "--api-key-file", "-"]
    command += ["--database-url", company.database_url, "--base-url", sandbox.base_url]
    command += ["--rate", str(RATE)]
    done = subprocess.run(
        command, input=company.api_key + "\n", env=env, cwd=PROJECT, text=True,
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert company.api_key not in done.stdout + done.stderr


def save_block(name: str, connection_block: LexsyncConnection, url: str) -> None:
    with temporary_settings({PREFECT_API_URL: url}):
        connection_block.save(name)


def final_runs(url: str, tag: str, timeout: float = 240) -> list[Any]:
    """The connection's flow runs once all of them have finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag]))
            )
        if runs and all(run.state is not None and run.state.is_final() for run in runs):
            return list(runs)
        time.sleep(1)
    raise AssertionError(f"the runs tagged {tag} did not finish")


def test_nightly_fan_out_runs_each_company_on_its_own(
    prefect_server: str, prefect_env: dict[str, str], postgres_url: str, tmp_path: Path
) -> None:
    with SandboxServer(SandboxConfig(rps=RATE, burst=2)) as sandbox:
        alpha = Company(sandbox, "Alpha", postgres_url)
        beta = Company(sandbox, "Beta", f"sqlite:///{tmp_path / 'beta.db'}")
        gamma = Company(sandbox, "Gamma", f"sqlite:///{tmp_path / 'gamma.db'}")
        delta = Company(sandbox, "Delta", f"sqlite:///{tmp_path / 'delta.db'}")
        env = {k: v for k, v in prefect_env.items() if not k.startswith("LEXOFFICE_")}
        for company in (alpha, beta, delta):
            add_by_cli(company, sandbox, env)
        revoked = LexsyncConnection(
            database_url=gamma.database_url,
            lexoffice_base_url=sandbox.base_url,
            lexoffice_api_key=SecretStr("revoked-key"),
            organization_id=gamma.organization_id,
        )
        save_block(gamma.name, revoked, prefect_server)
        subprocess.run([LEXSYNC, "connections", "disable", delta.name], env=env, check=True)
        run_cli(["work-pool", "create", "lexsync", "--type", "process"], env)
        run_cli(["--no-prompt", "deploy", "--all"], env)
        sandbox.control.delete("/requests")
        workers = [
            start([PREFECT, "worker", "start", "--pool", "lexsync"], env, tmp_path / f"w{n}.log")
            for n in range(2)
        ]
        try:
            awaited(
                prefect_server, "sync-all-connections/sync-all-connections", tmp_path / "w0.log"
            )
            states = {
                company.label: [run.state.type.value for run in final_runs(prefect_server, tag)]
                for company in (alpha, beta, gamma)
                for tag in [connection_tag(company.name)]
            }
        finally:
            for worker in workers:
                stop(worker)
        log = sandbox.control.get("/requests").json()
        with temporary_settings({PREFECT_API_URL: prefect_server}):
            delta_runs = final_runs_or_none(connection_tag(delta.name))

    assert states == {"Alpha": ["COMPLETED"], "Beta": ["COMPLETED"], "Gamma": ["FAILED"]}
    assert delta_runs == []
    assert alpha.customer_names() == {"Alpha0", "Alpha1", "Alpha2", "AlphaLex"}
    assert beta.customer_names() == {"Beta0", "Beta1", "Beta2", "BetaLex"}
    assert delta.customer_names() == {"Delta0", "Delta1", "Delta2"}
    by_org = requests_by_organization(log)
    assert set(by_org) == {alpha.organization_id, beta.organization_id}  # 401s carry no org
    for times in by_org.values():
        assert most_in_one_second(times) <= RATE + 1  # + 1: arrival jitter at the window edge
    assert all(entry["status"] != 429 for entry in log)


def final_runs_or_none(tag: str) -> list[Any]:
    with get_client(sync_client=True) as client:
        return list(
            client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])))
        )


def requests_by_organization(log: list[dict[str, Any]]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for entry in log:
        if entry.get("organizationId"):
            found.setdefault(entry["organizationId"], []).append(float(entry["time"]))
    return found


def test_most_in_one_second_counts_a_sliding_window() -> None:
    assert most_in_one_second([0.0, 0.5, 0.99, 1.0, 1.98]) == 3
    assert most_in_one_second([]) == 0
