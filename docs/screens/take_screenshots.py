"""Screenshots of the Prefect UI for the docs, taken with headless Chromium (not run by tests).

Start the service first (`make up`, without LEXOFFICE_API_KEY: the sandbox and the demo
business), then, from the project folder:

    .venv/bin/python docs/screens/take_screenshots.py [--width 1280] [--out docs/screens]

It runs one full sync through the `full-sync` deployment (the worker of `make up` picks it
up) unless one has already completed (`--new-run`: always), then writes:
- `report.png`: the full-sync run's report (its markdown artifact; one of its sub-runs'
  when the parent run has none);
- `settings.png`: the edit form of the connection block `default`;
- `invoice-run.png`: the Run form of the `create-invoice` deployment.
Needs `chromium` (Debian: `apt-get install chromium`). Every Chromium it starts is stopped,
its profile is a fresh temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVICE_ENV = ROOT / "var" / "service.env"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
# Window height per page: tall enough for the whole page at 1280 px.
HEIGHTS = {"report": 2000, "settings": 4400, "invoice-run": 1100}
RENDER_BUDGET_MS = 20000  # virtual time for the UI to load its data before the shot
CHROMIUM_TIMEOUT_S = 120


def main() -> int:
    args = _arguments()
    _load_service_environment()
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        print("error: no PREFECT_API_URL, no var/service.env: run `make up` first", file=sys.stderr)
        return 2
    chromium = _chromium()
    if chromium is None:
        print("error: chromium not found (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    ui = api_url.removesuffix("/api").rstrip("/")
    pages = asyncio.run(_pages(ui, args.new_run))
    args.out.mkdir(parents=True, exist_ok=True)
    for name, url in pages.items():
        target = args.out / f"{name}.png"
        _screenshot(chromium, url, target, args.width, HEIGHTS[name])
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {url}")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--width", type=int, default=1280, help="window width in pixels")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--new-run", action="store_true", help="run a new full sync first")
    return parser.parse_args()


def _load_service_environment() -> None:
    """`var/service.env` of `make up` (what the lexsync CLI reads too), unless already set."""
    if not SERVICE_ENV.exists():
        return
    for line in SERVICE_ENV.read_text().splitlines():
        name, _, value = line.partition("=")
        if name and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


async def _pages(ui: str, new_run: bool) -> dict[str, str]:
    """The three pages' addresses, running a full sync first if none has completed."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        run_id = await _completed_full_sync(client, new_run)
        report = await _report_artifact(client, run_id)
        block = await client.read_block_document_by_name("default", "lexsync-connection")
        invoice = await client.read_deployment_by_name("create-invoice/create-invoice")
    return {
        "report": f"{ui}/artifacts/artifact/{report}",
        "settings": f"{ui}/blocks/block/{block.id}/edit",
        "invoice-run": f"{ui}/deployments/deployment/{invoice.id}/run",
    }


async def _completed_full_sync(client: Any, new_run: bool) -> str:
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.deployments import arun_deployment

    runs = await client.read_flow_runs(
        flow_filter=FlowFilter(name=FlowFilterName(any_=["full-sync"])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
        ),
        sort=FlowRunSort.START_TIME_DESC,
        limit=1,
    )
    if runs and not new_run:
        return str(runs[0].id)
    print("starting a full sync on the worker of `make up` …")
    run = await arun_deployment("full-sync/full-sync", timeout=900)
    if run.state is None or run.state.type != StateType.COMPLETED:
        raise SystemExit(f"the full sync ended {run.state!r}: see run {run.id} in the UI")
    return str(run.id)


async def _report_artifact(client: Any, run_id: str) -> str:
    """The run's markdown report; else the fullest of its sub-runs' reports (master data)."""
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterType,
        FlowRunFilter,
        FlowRunFilterParentFlowRunId,
    )
    from prefect.client.schemas.sorting import ArtifactSort

    subflows = await client.read_flow_runs(
        flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run_id])
        )
    )
    for runs in ([run_id], [str(run.id) for run in subflows]):
        found = await client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=runs),
                type=ArtifactFilterType(any_=["markdown"]),
            ),
            sort=ArtifactSort.CREATED_DESC,
        )
        if found:
            return str(max(found, key=lambda artifact: len(str(artifact.data))).id)
    raise SystemExit(f"run {run_id} published no report")


def _screenshot(chromium: str, url: str, target: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory(prefix="lexsync-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--screenshot={target}",
            url,
        ]
        # Its own process group: Chromium's helpers are stopped with it, also on Ctrl-C.
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            _, errors = process.communicate(timeout=CHROMIUM_TIMEOUT_S)
        finally:
            _stop_group(process)
    if process.returncode != 0 or not target.exists():
        raise SystemExit(f"chromium could not take {target.name}: {errors.decode()[-500:]}")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


if __name__ == "__main__":
    raise SystemExit(main())
