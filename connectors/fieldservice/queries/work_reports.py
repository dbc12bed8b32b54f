"""Projects and work reports (Arbeitsnachweise), loaded whole in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models import (
    LabourEntry,
    MachineUse,
    MaterialUse,
    Project,
    VehicleUse,
    WorkReport,
    WorkReportSection,
    WorkReportStatus,
)

# Everything an invoice needs, loaded per kind of row rather than per report (no N+1).
_WHOLE_REPORT: Sequence[LoaderOption] = (
    joinedload(WorkReport.customer),
    joinedload(WorkReport.project),
    selectinload(WorkReport.sections).options(
        selectinload(WorkReportSection.labour).options(
            joinedload(LabourEntry.employee_function), joinedload(LabourEntry.activity)
        ),
        selectinload(WorkReportSection.materials).joinedload(MaterialUse.product),
        selectinload(WorkReportSection.vehicle_uses).joinedload(VehicleUse.vehicle),
        selectinload(WorkReportSection.machine_uses).joinedload(MachineUse.machine),
        selectinload(WorkReportSection.additional_positions),
    ),
)


def get_project_by_lexoffice_id(session: Session, lexoffice_id: uuid.UUID) -> Project | None:
    """The project made from this lexoffice order confirmation or delivery note, or None."""
    statement = sa.select(Project).where(Project.lexoffice_id == lexoffice_id)
    return session.scalars(statement).one_or_none()


def list_projects(session: Session, *, customer_id: int | None = None) -> list[Project]:
    """Projects in id order, optionally of one customer."""
    statement = sa.select(Project).order_by(Project.id)
    if customer_id is not None:
        statement = statement.where(Project.customer_id == customer_id)
    return list(session.scalars(statement))


def get_work_report(session: Session, work_report_id: int) -> WorkReport | None:
    """The work report with its sections, positions and catalog entries, or None."""
    return session.get(WorkReport, work_report_id, options=_WHOLE_REPORT)


def list_work_reports(
    session: Session, *, status: WorkReportStatus | None = None
) -> list[WorkReport]:
    """Work reports loaded whole, in date order, optionally with one status."""
    statement = sa.select(WorkReport).options(*_WHOLE_REPORT)
    if status is not None:
        statement = statement.where(WorkReport.status == status)
    return list(session.scalars(statement.order_by(WorkReport.date_from, WorkReport.id)))


def mark_work_report_invoiced(
    session: Session,
    work_report: WorkReport,
    *,
    invoice_id: uuid.UUID,
    invoice_number: str | None,
    invoiced_at: dt.datetime,
) -> None:
    """Record the lexoffice invoice a completed work report went into."""
    if work_report.status != WorkReportStatus.COMPLETED:
        raise InvalidRecordError(
            work_report.describe(),
            "status",
            f"is {work_report.status}; only completed reports can be invoiced",
            rule="status",
            status=str(work_report.status),
        )
    work_report.status = WorkReportStatus.INVOICED
    work_report.lexoffice_invoice_id = invoice_id
    work_report.lexoffice_invoice_number = invoice_number
    work_report.invoiced_at = invoiced_at
    session.flush()
