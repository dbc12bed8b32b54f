"""A progress bar on the terminal while a flow runs in this process.

The flows already report progress to Prefect as progress artifacts (`tasks/progress.py`:
writing to lexoffice, reading documents); this shows the newest one as a rich bar on stderr,
so stdout stays the report. Between those steps it is a spinner with the elapsed time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

POLL_SECONDS = 1.0


@contextmanager
def working(what: str) -> Iterator[None]:
    """Shows `what` with a bar that follows the run's progress artifacts until the block ends."""
    console = Console(stderr=True)
    started = dt.datetime.now(dt.UTC)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    stop = threading.Event()
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task(what, total=None)
        poller = threading.Thread(
            target=_follow, args=(progress, bar, what, started, stop), daemon=True
        )
        poller.start()
        try:
            yield
        finally:
            stop.set()
            poller.join(timeout=5)
    elapsed = (dt.datetime.now(dt.UTC) - started).total_seconds()
    console.print(f"{what}: finished in {elapsed:.1f} s")


def _follow(
    progress: Progress, bar: Any, what: str, started: dt.datetime, stop: threading.Event
) -> None:
    while not stop.wait(POLL_SECONDS):
        # The bar is a nicety: a Prefect API that does not answer must not stop the run.
        with contextlib.suppress(Exception):
            artifact = _newest_progress(started)
            if artifact is not None:
                label = f"{what}: {artifact.description or 'working'}"
                progress.update(bar, description=label, total=100.0, completed=float(artifact.data))


def _newest_progress(started: dt.datetime) -> Any:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterType
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(type=ArtifactFilterType(any_=["progress"])),
            sort=ArtifactSort.UPDATED_DESC,
            limit=1,
        )
    # Only a bar of a run started by this command, not one left over from an earlier run.
    if found and found[0].updated is not None and found[0].updated >= started:
        return found[0]
    return None
