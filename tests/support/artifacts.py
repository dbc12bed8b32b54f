"""What a flow run published to Prefect: its artifacts by key (the report, its problems)."""

from __future__ import annotations

from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId


def run_artifacts(flow_run_id: Any) -> dict[str, str]:
    """The run's artifacts by key."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {artifact.key or "": str(artifact.data) for artifact in found}
