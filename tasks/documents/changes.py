"""Documents changed in lexoffice after their import: compared and reported, never applied.

The project belongs to the craftsman once it exists (he plans and edits it); overwriting it
from a later edit of the order confirmation could destroy his work. So the report names the
fields where the document now says something else, once per change: the `updatedDate` of the
reported change is remembered, and only a still newer change is reported again. A change that
touches none of the compared fields is counted as unchanged, except that a document voided
after its import is always reported (the work may be off).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from connectors.fieldservice.models import DocumentType
from connectors.fieldservice.queries import mark_changes_reported, project_rows
from tasks import report_text
from tasks.documents.extract import FetchedDocuments
from tasks.documents.load import record_label, section
from tasks.documents.mapping import UnmappableDocumentError, differing_fields, draft_project
from tasks.documents.plan import NEVER_IMPORTED_STATUSES, records
from tasks.report import Problem, RunReport

SHOWN_LENGTH = 60


def report_changes(
    session: Session,
    changed: pd.DataFrame,
    fetched: FetchedDocuments,
    report: RunReport,
    dry_run: bool,
) -> None:
    """Report each changed document's differing fields; remember them as reported."""
    projects = {row["id"]: row for row in project_rows(session, _ints(changed["project_id"]))}
    reported: dict[uuid.UUID, dt.datetime] = {}
    for row in records(changed):
        target = section(report, row.document_type)
        problem = _change_problem(row, fetched, projects)
        if problem is None:
            target.count("unchanged")
        else:
            target.add_problem(problem)
        if row.lexoffice_id not in fetched.failures:
            reported[uuid.UUID(row.lexoffice_id)] = pd.Timestamp(row.updated_at).to_pydatetime()
    if not dry_run:
        mark_changes_reported(session, reported)


def _change_problem(
    row: Any, fetched: FetchedDocuments, projects: dict[int, dict[str, Any]]
) -> Problem | None:
    label = record_label(row)
    failure = fetched.failures.get(row.lexoffice_id)
    if failure is not None:
        return Problem("conflict", label, f"nach dem Import in lexoffice geändert; {failure}")
    project = projects.get(int(row.project_id)) if pd.notna(row.project_id) else None
    if project is None:
        return None  # the project was deleted in the system: nothing left to compare
    try:
        draft = draft_project(fetched.documents[row.lexoffice_id], DocumentType(row.document_type))
    except UnmappableDocumentError as error:
        return Problem("conflict", label, f"nach dem Import in lexoffice geändert; {error}")
    differences = differing_fields(project, draft)
    if row.voucher_status in NEVER_IMPORTED_STATUSES:  # e.g. the order was cancelled
        differences["voucher_status"] = ("imported", row.voucher_status)
    if not differences:
        return None
    return Problem(
        "conflict",
        label,
        f"nach dem Import als {report_text.record('project', project['id'])} in lexoffice "
        "geändert; nicht ins Projekt übernommen, bitte das Projekt von Hand anpassen",
        field=", ".join(differences),
        system_value=_summary(differences, 0),
        lexoffice_value=_summary(differences, 1),
    )


def _summary(differences: dict[str, tuple[Any, Any]], side: int) -> str:
    return "; ".join(f"{field}: {_short(values[side])}" for field, values in differences.items())


def _short(value: Any) -> str:
    text = "(leer)" if value is None or value == "" else str(value).replace("\n", " ")
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def _ints(values: pd.Series) -> list[int]:
    return [int(value) for value in values.dropna()]
