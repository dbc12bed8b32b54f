"""A progress bar in the Prefect UI while a long run waits on lexoffice's rate limit."""

from __future__ import annotations

import time
from typing import cast
from uuid import UUID

from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.context import get_run_context

MIN_SECONDS_BETWEEN_UPDATES = 2.0


class Progress:
    """Counts finished steps out of `total`; shows them in the UI when inside a run.

    Updates are throttled: every update is a call to the Prefect API.
    """

    def __init__(self, total: int, description: str) -> None:
        self.total, self.done, self.description = max(total, 1), 0, description
        self._artifact: UUID | None = None
        self._last_update = 0.0
        if total and _in_run():
            self._artifact = cast(UUID, create_progress_artifact(0.0, description=description))

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        now = time.monotonic()
        finished = self.done >= self.total
        if self._artifact and (finished or now - self._last_update >= MIN_SECONDS_BETWEEN_UPDATES):
            update_progress_artifact(self._artifact, 100.0 * self.done / self.total)
            self._last_update = now


def _in_run() -> bool:
    try:
        get_run_context()
    except RuntimeError:
        return False
    return True
