"""Data and processes for the many-connections benchmark (see bench_connections.py).

Every company starts from the same linked state, made once: a template company's first full
sync against a fast sandbox (its system database gets N customers, lexoffice gets them as
contacts, links saved). The template's database file is copied per company and its contacts
(same ids and versions) are seeded into each company's organization of the benchmark's
sandbox, which paces every API key at lexoffice's 2 requests/s. So each company's nightly
run finds exactly the changes the benchmark makes behind lexsync's back, and nothing else.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from prefect.settings import PREFECT_API_URL, temporary_settings
from pydantic import SecretStr

from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.fieldservice.generator import generate
from connectors.fieldservice.models import Customer
from tasks.connection import LexsyncConnection
from tests.support.prefect_server import PREFECT, PROJECT, free_port

LEXSYNC = str(Path(PREFECT).with_name("lexsync"))


@dataclass(frozen=True)
class Sandbox:
    process: subprocess.Popen[bytes]
    base_url: str

    @property
    def control(self) -> httpx.Client:
        return httpx.Client(base_url=f"{self.base_url}/_sandbox", timeout=120)

    def add_organization(self, company_name: str) -> dict[str, Any]:
        with self.control as control:
            created = control.post("/organizations", json={"companyName": company_name})
            created.raise_for_status()
            return dict(created.json())


def start_sandbox(rps: float, log: Path, env: dict[str, str]) -> Sandbox:
    port = free_port()
    command = [LEXSYNC, "sandbox", "--port", str(port), "--rps", str(rps)]
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base_url}/_sandbox/organizations", timeout=1).raise_for_status()
            return Sandbox(process, base_url)
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"the sandbox did not start: {log.read_text()[-2000:]}")


def make_template(
    workdir: Path, customers: int, fast_sandbox: Sandbox, api_url: str
) -> tuple[Path, list[dict[str, Any]]]:
    """The linked template: its database file and its contacts as lexoffice holds them."""
    from flows.master_data import sync_master_data

    database = workdir / "template.db"
    url = f"sqlite:///{database}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        generate(session, customers=customers, products=0, seed=7)
    engine.dispose()
    organization = fast_sandbox.add_organization("Vorlage GmbH")
    block = LexsyncConnection(
        database_url=url,
        lexoffice_base_url=fast_sandbox.base_url,
        lexoffice_api_key=SecretStr(organization["apiKey"]),
        lexoffice_rate_per_second=500.0,
    )
    with temporary_settings({PREFECT_API_URL: api_url}):
        block.save("bench-template", overwrite=True)
        report = sync_master_data(connection="bench-template", entities=["customers"])
        assert not report.failed, "the template's first sync failed"
        LexsyncConnection.delete("bench-template")  # a template, not a company to sync
    return database, all_contacts(fast_sandbox.base_url, organization["apiKey"])


def all_contacts(base_url: str, api_key: str) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    contacts: list[dict[str, Any]] = []
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as api:
        for page in range(10_000):
            body = api.get("/v1/contacts", params={"page": page, "size": 250}).json()
            contacts += body["content"]
            if body["last"]:
                return contacts
    raise RuntimeError("unreachable")


@dataclass(frozen=True)
class BenchCompany:
    name: str
    organization_id: str
    database_url: str


def make_companies(
    count: int,
    workdir: Path,
    template: tuple[Path, list[dict[str, Any]]],
    sandbox: Sandbox,
    api_url: str,
) -> list[BenchCompany]:
    """`count` companies, each a copy of the template, each with its own lexoffice account."""
    database, contacts = template
    companies = []
    with temporary_settings({PREFECT_API_URL: api_url}), sandbox.control as control:
        for index in range(count):
            name = f"firma-{index:04d}"
            organization = sandbox.add_organization(f"Firma {index} GmbH")
            headers = {"X-Sandbox-Api-Key": organization["apiKey"]}
            control.post("/seed/contacts", json=contacts, headers=headers).raise_for_status()
            copy = workdir / f"{name}.db"
            shutil.copyfile(database, copy)
            url = f"sqlite:///{copy}"
            LexsyncConnection(
                database_url=url,
                lexoffice_base_url=sandbox.base_url,
                lexoffice_api_key=SecretStr(organization["apiKey"]),
                lexoffice_rate_per_second=2.0,
                organization_id=organization["organizationId"],
            ).save(name, overwrite=True)
            companies.append(BenchCompany(name, organization["organizationId"], url))
    return companies


def change_customers(companies: list[BenchCompany], per_company: int, round_: int) -> None:
    """`per_company` customers of each company get a new phone number, as a user would."""
    for company in companies:
        engine = make_engine(company.database_url)
        with session_factory(engine).begin() as session:
            ids = session.scalars(
                sa.select(Customer.id)
                .order_by(Customer.id)
                .offset(round_ * per_company)
                .limit(per_company)
            ).all()
            session.execute(
                sa.update(Customer)
                .where(Customer.id.in_(ids))
                .values(phone=f"0700 {round_:02d}12345")
            )
        engine.dispose()


def deploy(env: dict[str, str]) -> None:
    for args in (
        ["work-pool", "create", "lexsync", "--type", "process"],
        ["--no-prompt", "deploy", "--all"],
    ):
        done = subprocess.run(
            [PREFECT, *args], env=env, cwd=PROJECT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
