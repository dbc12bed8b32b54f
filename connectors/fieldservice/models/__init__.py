"""The field-service database as SQLAlchemy models: the craftsman's data and lexsync's own."""

from __future__ import annotations

from connectors.fieldservice.models.base import Base
from connectors.fieldservice.models.catalog import (
    Activity,
    EmployeeFunction,
    Machine,
    Product,
    Vehicle,
)
from connectors.fieldservice.models.customer import Customer, CustomerKind, check_customer_name
from connectors.fieldservice.models.document_import import (
    DocumentImport,
    DocumentImportCursor,
    DocumentImportStatus,
    DocumentType,
)
from connectors.fieldservice.models.invoice_attempt import InvoiceAttempt, InvoiceAttemptStatus
from connectors.fieldservice.models.pending_create import PendingCreate
from connectors.fieldservice.models.project import Project, ProjectOrigin
from connectors.fieldservice.models.sync import (
    IssueKind,
    JournalEntity,
    LexofficeLink,
    LinkStatus,
    SyncAction,
    SyncDirection,
    SyncEntity,
    SyncIssue,
    SyncJournal,
)
from connectors.fieldservice.models.webhook_event import WebhookEvent, WebhookEventStatus
from connectors.fieldservice.models.work_report import (
    AdditionalPosition,
    DiscountKind,
    InvoiceStatusCursor,
    LabourEntry,
    MachineUse,
    MaterialUse,
    VehicleUse,
    WorkReport,
    WorkReportSection,
    WorkReportStatus,
)

__all__ = [
    "Activity",
    "AdditionalPosition",
    "Base",
    "Customer",
    "CustomerKind",
    "DiscountKind",
    "DocumentImport",
    "DocumentImportCursor",
    "DocumentImportStatus",
    "DocumentType",
    "EmployeeFunction",
    "InvoiceAttempt",
    "InvoiceAttemptStatus",
    "InvoiceStatusCursor",
    "IssueKind",
    "JournalEntity",
    "LabourEntry",
    "LexofficeLink",
    "LinkStatus",
    "Machine",
    "MachineUse",
    "MaterialUse",
    "PendingCreate",
    "Product",
    "Project",
    "ProjectOrigin",
    "SyncAction",
    "SyncDirection",
    "SyncEntity",
    "SyncIssue",
    "SyncJournal",
    "Vehicle",
    "VehicleUse",
    "WebhookEvent",
    "WebhookEventStatus",
    "WorkReport",
    "WorkReportSection",
    "WorkReportStatus",
    "check_customer_name",
]
