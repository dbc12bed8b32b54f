"""One receiver, many companies: each event lands in the database of its organization's
connection, an unknown organization is refused, a broken connection silences no other."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from starlette.testclient import TestClient

from connectors.fieldservice import queries
from connectors.fieldservice.db import migrate
from connectors.lexoffice.sandbox.signing import Signer
from deployments.webhooks.config import CALLBACK_PATH, ReceiverSettings
from deployments.webhooks.runtime import ReceiverRuntime, build_receiver
from deployments.webhooks.store import Batch
from tasks.connection import LexsyncConnection
from tasks.resources import dispose_engines

SIGNER = Signer(key_size=2048)
ALPHA, BETA = str(uuid.uuid4()), str(uuid.uuid4())


def body_for(organization: str) -> bytes:
    event = {
        "organizationId": organization,
        "eventType": "contact.changed",
        "resourceId": str(uuid.uuid4()),
        "eventDate": "2026-11-27T12:00:00.123+01:00",
    }
    return json.dumps(event, separators=(",", ":")).encode()


def company(tmp_path: Path, label: str, organization: str | None) -> LexsyncConnection:
    url = f"sqlite:///{tmp_path / f'{label}.db'}"
    migrate(url)
    return LexsyncConnection(
        database_url=url, lexoffice_api_key=SecretStr("unused"), organization_id=organization
    )


@pytest.fixture
def started() -> dict[str, list[Batch]]:
    return {}


@pytest.fixture
def runtime(tmp_path: Path, started: dict[str, list[Batch]]) -> Iterator[ReceiverRuntime]:
    key_file = tmp_path / "key.pub"
    key_file.write_bytes(SIGNER.public_pem())
    connections = {
        "alpha": company(tmp_path, "alpha", ALPHA),
        "beta": company(tmp_path, "beta", BETA),
        # no organizationId and no usable key: cannot be told apart, so not served
        "broken": company(tmp_path, "broken", None).model_copy(
            update={"lexoffice_base_url": "http://127.0.0.1:9", "lexoffice_api_key": None}
        ),
    }

    def starter_for(name: str) -> Any:
        return started.setdefault(name, []).append

    settings = ReceiverSettings(public_key=str(key_file), quiet_seconds=0.05)
    yield build_receiver(settings, connection_blocks=connections, starter_for=starter_for)
    dispose_engines()


def stored_ids(runtime: ReceiverRuntime, connection: str) -> set[str]:
    with runtime.destination(connection).store.sessions.begin() as session:
        return {str(row["resource_id"]) for row in queries.webhook_event_rows(session)}


def post(client: TestClient, body: bytes) -> int:
    headers = {"Content-Type": "application/json", "X-Lxo-Signature": SIGNER.sign(body)}
    return client.post(CALLBACK_PATH, content=body, headers=headers).status_code


def test_each_event_goes_to_its_organizations_connection(
    runtime: ReceiverRuntime, started: dict[str, list[Batch]]
) -> None:
    alpha_body, beta_body = body_for(ALPHA), body_for(BETA)
    with TestClient(runtime.app) as client:
        assert post(client, alpha_body) == 202
        assert post(client, beta_body) == 202
    alpha_id = json.loads(alpha_body)["resourceId"]
    beta_id = json.loads(beta_body)["resourceId"]
    assert stored_ids(runtime, "alpha") == {alpha_id}
    assert stored_ids(runtime, "beta") == {beta_id}


def test_an_unknown_organization_is_refused_and_nothing_stored(runtime: ReceiverRuntime) -> None:
    with TestClient(runtime.app) as client:
        assert post(client, body_for(str(uuid.uuid4()))) == 403
    assert stored_ids(runtime, "alpha") == set() == stored_ids(runtime, "beta")


def test_a_connection_that_cannot_be_served_is_named_and_the_others_still_are(
    runtime: ReceiverRuntime,
) -> None:
    assert set(runtime.dispatchers) == {"alpha", "beta"}
    assert "broken" in runtime.skipped and "lexoffice-Organisation" in runtime.skipped["broken"]
