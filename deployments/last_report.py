"""The last published report of a sync (the Prefect artifacts), for `lexsync status`.

Failed records and conflicts live in the run's report (a markdown artifact, and a table of
its problems); the table belongs to the last run only if both artifacts
come from the same flow run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort

from tasks.publish import artifact_key
from tasks.report import problem_from_row


@dataclass
class LastReport:
    """One job's last report: its title, when, and the problems it listed."""

    title: str
    created: Any
    problems: list[dict[str, Any]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for row in self.problems if row.get("kind") == kind)


def last_reports(connection: str) -> list[LastReport]:
    """The newest sync report of `connection`: a full sync's (it carries every part), or a
    master-data sync's or document import's run alone, whichever came last."""
    with get_client(sync_client=True) as client:
        found = [
            _last_report(client, artifact_key(job, connection))
            for job in ("full-sync", "master-data", "document-import")
        ]
    reports = [report for report in found if report is not None]
    return [max(reports, key=lambda report: report.created)] if reports else []


def _last_report(client: Any, key: str) -> LastReport | None:
    markdown = _latest(client, key)
    if markdown is None:
        return None
    report = LastReport(markdown.description or key, markdown.created)
    table = _latest(client, f"{key}-problems")
    if table is not None and table.flow_run_id == markdown.flow_run_id:
        report.problems = _rows(table.data)
    return report


def _latest(client: Any, key: str) -> Any:
    found = client.read_artifacts(
        artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
        sort=ArtifactSort.CREATED_DESC,
        limit=1,
    )
    return found[0] if found else None


def _rows(data: Any) -> list[dict[str, Any]]:
    # Table artifacts come back as the JSON text of a list of rows.
    rows = json.loads(data) if isinstance(data, str) else data
    # The table has German headings for people; status reads the report's own terms.
    return [problem_from_row(row) for row in rows if isinstance(row, dict)]
