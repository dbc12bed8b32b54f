"""The CLI's progress bar follows the runs its own command starts, not the newest on the server.

`tests/deployments/test_cli_temporary_server.py` pins the filter (`newest_progress` by tag);
this drives `working()` itself: the runs started inside it carry its tag, the bar moves to
their progress while a newer run of another command (another company's) reports more, and
the command ends with its elapsed time on stderr (stdout stays the report).
"""

from __future__ import annotations

import threading

import pytest
from prefect import flow
from prefect.artifacts import create_progress_artifact
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterType
from prefect.client.schemas.sorting import ArtifactSort
from prefect.runtime import flow_run
from rich.progress import Progress

from deployments.cli_progress import show_newest, working


@flow
def _progressing(percent: float) -> list[str]:
    create_progress_artifact(percent, description=f"{percent:g} %")
    return list(flow_run.tags)


def _another_commands_run(percent: float) -> None:
    """A run started elsewhere: a new thread does not inherit this command's tags."""
    thread = threading.Thread(target=_progressing, args=(percent,))
    thread.start()
    thread.join()


def _newest_progress_on_the_server() -> float:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(type=ArtifactFilterType(any_=["progress"])),
            sort=ArtifactSort.UPDATED_DESC,
            limit=1,
        )
    return float(str(found[0].data))


def test_the_bar_shows_its_own_runs_progress_not_a_newer_run_of_another_command(
    prefect_harness: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with working("Abgleich"):
        tags = _progressing(40.0)
        _another_commands_run(90.0)
    assert _newest_progress_on_the_server() == 90.0  # the other run is the newest
    run_tags = [tag for tag in tags if tag.startswith("lexsync-cli-")]
    assert len(run_tags) == 1, tags  # the command tagged the run it started

    progress = Progress()
    bar = progress.add_task("Abgleich", total=None)
    show_newest(progress, bar, "Abgleich", run_tags[0])

    (task,) = progress.tasks
    assert (task.description, task.completed, task.total) == ("Abgleich: 40 %", 40.0, 100.0)
    err = capsys.readouterr()
    assert "Abgleich: fertig nach" in err.err and "Abgleich" not in err.out
