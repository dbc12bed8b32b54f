"""A progress bar on the terminal while a flow runs in this process.

The flows already report progress to Prefect as progress artifacts (`tasks/progress.py`:
writing to lexoffice, reading documents); this shows the newest one of *this* command's run
as a rich bar on stderr, so stdout stays the report. Between those steps it is a spinner with
the elapsed time. The run is recognised by a tag only this command gives its flow runs (and
their sub-runs): another run on the same server, another company's, never moves the bar.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

POLL_SECONDS = 1.0


@contextmanager
def working(what: str) -> Iterator[None]:
    """Shows `what` with a bar that follows this run's progress artifacts until the block ends."""
    from prefect import tags

    console = Console(stderr=True)
    started = dt.datetime.now(dt.UTC)
    run_tag = f"lexsync-cli-{uuid.uuid4().hex[:12]}"
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    stop = threading.Event()
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task(what, total=None)
        follow = contextvars.copy_context().run  # the poller asks the same Prefect API
        poller = threading.Thread(
            target=follow, args=(_follow, progress, bar, what, run_tag, stop), daemon=True
        )
        poller.start()
        try:
            with tags(run_tag):
                yield
        finally:
            stop.set()
            poller.join(timeout=5)
    elapsed = (dt.datetime.now(dt.UTC) - started).total_seconds()
    console.print(f"{what}: fertig nach {elapsed:.1f} s".replace(".", ","))


def _follow(progress: Progress, bar: Any, what: str, run_tag: str, stop: threading.Event) -> None:
    while not stop.wait(POLL_SECONDS):
        # The bar is a nicety: a Prefect API that does not answer must not stop the run.
        with contextlib.suppress(Exception):
            show_newest(progress, bar, what, run_tag)


def show_newest(progress: Progress, bar: Any, what: str, run_tag: str) -> None:
    """Moves the bar to the newest progress of the runs tagged `run_tag` (if there is one)."""
    artifact = newest_progress(run_tag)
    if artifact is not None:
        label = f"{what}: {artifact.description or 'läuft'}"
        progress.update(bar, description=label, total=100.0, completed=float(artifact.data))


def newest_progress(run_tag: str) -> Any:
    """The most recently updated progress artifact of the flow runs tagged `run_tag`."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterType,
        FlowRunFilter,
        FlowRunFilterTags,
    )
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[run_tag])), limit=200
        )
        if not runs:
            return None
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                type=ArtifactFilterType(any_=["progress"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[run.id for run in runs]),
            ),
            sort=ArtifactSort.UPDATED_DESC,
            limit=1,
        )
    return found[0] if found else None
