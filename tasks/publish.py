"""Showing a run's report in the Prefect UI: a markdown artifact and a table of problems."""

from __future__ import annotations

import re

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from tasks.report import RunReport, problem_rows, render_markdown
from tasks.report_text import title


def artifact_key(*parts: str) -> str:
    """An artifact key Prefect accepts (lower-case letters, digits and dashes)."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


@task(cache_policy=NO_CACHE)
def publish_report(report: RunReport, key: str) -> str:
    """Publish the report under `key`; returns its markdown, which the CLI prints too."""
    markdown = render_markdown(report)
    shown = title(report.title)
    create_markdown_artifact(markdown, key=artifact_key(key), description=shown)
    # Published also when empty: under a stable key, the UI would otherwise keep showing an
    # earlier run's problems as the latest.
    create_table_artifact(
        problem_rows(report), key=artifact_key(key, "problems"), description=f"{shown}: Probleme"
    )
    return markdown
