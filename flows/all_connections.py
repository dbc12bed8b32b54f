"""The nightly fan-out: one full-sync flow run per active connection, run by the workers.

This flow only creates the runs (≈0.06 s each) and returns; the work pool's workers pick
them up in parallel, each paced by its own lexoffice account. A company whose run fails, is
slow or whose key was revoked has a failed run of its own and delays no one else. A company
whose previous full sync has not finished is skipped (its runs would only queue up).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.deployments import run_deployment
from prefect.runtime import flow_run

from flows.parameters import dry_run_parameter, parameter
from tasks.connection_registry import active_connection_names

FULL_SYNC_DEPLOYMENT = "full-sync/full-sync"
UNFINISHED = [StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING]


@dataclass(frozen=True)
class Started:
    """What the fan-out did for one connection."""

    connection: str
    flow_run_id: str | None  # None: skipped
    note: str


def connection_tag(connection: str) -> str:
    """The tag of every run for a connection (filter the UI by company with it)."""
    return f"connection:{connection}"


@flow(name="sync-all-connections")
def sync_all_connections(
    dry_run: bool = dry_run_parameter(),
    deployment: str = parameter(
        "Deployment je Firma",
        "Welches Deployment für jede aktive Firma gestartet wird; normalerweise der "
        "vollständige Abgleich.",
        FULL_SYNC_DEPLOYMENT,
    ),
) -> list[Started]:
    """Start a full sync for every active connection (the embedded default if none exist)."""
    logger = get_run_logger()
    started = [_start_one(name, deployment, dry_run) for name in active_connection_names()]
    for entry in started:
        logger.info("%s: %s", entry.connection, entry.note)
    create_markdown_artifact(_summary(started), key="sync-all-connections")
    return started


def _start_one(connection: str, deployment: str, dry_run: bool) -> Started:
    try:
        if _unfinished_run_exists(connection, deployment):
            return Started(connection, None, "skipped: its previous full sync is not finished")
        run = cast(
            FlowRun,
            run_deployment(
                deployment,
                parameters={"connection": connection, "dry_run": dry_run},
                timeout=0,
                tags=[connection_tag(connection)],
                idempotency_key=f"{flow_run.id}:{connection}",
                as_subflow=False,  # a company's run lives on its own, whatever happens here
            ),
        )
    except Exception as error:  # one connection's trouble never stops the others' runs
        return Started(connection, None, f"not started: {type(error).__name__}: {error}")
    return Started(connection, str(run.id), f"started flow run {run.name}")


def _unfinished_run_exists(connection: str, deployment: str) -> bool:
    deployment_name = deployment.split("/", 1)[1]
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                tags=FlowRunFilterTags(all_=[connection_tag(connection)]),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=UNFINISHED)),
            ),
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment_name])),
            limit=1,
        )
    return bool(runs)


def _summary(started: list[Started]) -> str:
    count = sum(1 for entry in started if entry.flow_run_id)
    lines = [
        f"# Nightly sync: {count} of {len(started)} connections started",
        "",
        "| connection | flow run |",
        "| --- | --- |",
    ]
    lines += [f"| {entry.connection} | {entry.note} |" for entry in started]
    return "\n".join(lines)
