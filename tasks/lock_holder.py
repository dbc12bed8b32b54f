"""Who holds a company's write lock, so that a waiting run can tell a killed holder.

The holder writes down its lease, its flow run and its process (a Prefect Variable per
connection) when it takes the lock. A waiting run reads it: a holder whose flow run has
ended (Crashed, Failed, Cancelled — the worker reports a killed flow process at once) or
whose process no longer exists on this machine is gone, and its lease is released at once
instead of waiting for it to expire.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import VariableCreate, VariableUpdate
from prefect.exceptions import ObjectNotFound
from prefect.runtime import flow_run

from tasks import report_text


@dataclass(frozen=True)
class Holder:
    lease_id: str
    flow_run_id: str | None
    host: str
    pid: int
    since: str  # ISO time, UTC

    def describe(self) -> str:
        """Whose run holds the lock, in German (the waiting run's log shows it)."""
        run = f"Flow-Run {self.flow_run_id}" if self.flow_run_id else f"Prozess {self.pid}"
        since = report_text.moment(dt.datetime.fromisoformat(self.since))
        return f"{run} auf {self.host} (hält sie seit {since})"


def variable_name(limit: str) -> str:
    return f"{limit.replace('-', '_')}_holder"


def this_holder(lease_id: UUID) -> Holder:
    return Holder(
        lease_id=str(lease_id),
        flow_run_id=flow_run.get_id(),
        host=socket.gethostname(),
        pid=os.getpid(),
        since=dt.datetime.now(dt.UTC).isoformat(),
    )


def record_holder(client: SyncPrefectClient, limit: str, holder: Holder) -> None:
    name, value = variable_name(limit), asdict(holder)
    if client.read_variable_by_name(name) is None:
        try:
            client.create_variable(VariableCreate(name=name, value=value))
            return
        except Exception:  # created by a racing run meanwhile: overwrite below
            pass
    client.update_variable(VariableUpdate(name=name, value=value))


def forget_holder(limit: str, lease_id: UUID) -> None:
    """Deletes the record if it is still this lease's (best effort: a stale one is harmless)."""
    try:
        with get_client(sync_client=True) as client:
            holder = read_holder(client, limit)
            if holder is not None and holder.lease_id == str(lease_id):
                client.delete_variable_by_name(variable_name(limit))
    except Exception:  # the next holder overwrites it
        return


def read_holder(client: SyncPrefectClient, limit: str) -> Holder | None:
    variable = client.read_variable_by_name(variable_name(limit))
    value: Any = variable.value if variable is not None else None
    try:
        return Holder(**value) if isinstance(value, dict) else None
    except TypeError:  # written by another version
        return None


def why_gone(client: SyncPrefectClient, holder: Holder) -> str | None:
    """Why the holder can no longer be working, in German (None: it may still be)."""
    if holder.host == socket.gethostname() and not _process_exists(holder.pid):
        return f"sein Prozess {holder.pid} existiert nicht mehr"
    if holder.flow_run_id:
        try:
            state = client.read_flow_run(UUID(holder.flow_run_id)).state
        except ObjectNotFound:
            return "sein Flow-Run existiert nicht mehr"
        if state is not None and state.is_final():
            return f"sein Flow-Run ist beendet ({state.name})"
    return None


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True
