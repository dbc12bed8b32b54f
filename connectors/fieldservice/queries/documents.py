"""lexoffice documents imported as projects: what was imported, the cursors, new projects."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from connectors.fieldservice.models import (
    Customer,
    CustomerKind,
    DocumentImport,
    DocumentImportCursor,
    DocumentType,
    Project,
)
from connectors.fieldservice.queries.common import Row, add, table_rows


def document_import_rows(session: Session, document_types: Iterable[DocumentType]) -> list[Row]:
    """Every document of these types lexsync has handled, as dicts of column values."""
    return table_rows(session, DocumentImport, DocumentImport.document_type.in_(document_types))


def get_document_import(session: Session, lexoffice_id: uuid.UUID) -> DocumentImport | None:
    """The import record of this lexoffice document, or None if it was never handled."""
    statement = sa.select(DocumentImport).where(DocumentImport.lexoffice_id == lexoffice_id)
    return session.scalars(statement).one_or_none()


def save_document_import(
    session: Session, lexoffice_id: uuid.UUID, values: Mapping[str, Any]
) -> DocumentImport:
    """Create or update the import record of a document with these column values."""
    record = get_document_import(session, lexoffice_id)
    if record is None:
        return add(session, DocumentImport(lexoffice_id=lexoffice_id, **values))
    for key, value in values.items():
        setattr(record, key, value)
    session.flush()
    return record


def mark_changes_reported(session: Session, reported: Mapping[uuid.UUID, dt.datetime]) -> None:
    """Remember, per document, the `updatedDate` of the change just reported."""
    for lexoffice_id, updated_at in reported.items():
        session.execute(
            sa.update(DocumentImport)
            .where(DocumentImport.lexoffice_id == lexoffice_id)
            .values(reported_updated_at=updated_at)
        )


def get_cursors(session: Session, connection: str) -> dict[DocumentType, dt.datetime]:
    """Per document type, the newest `updatedDate` this connection's import has listed."""
    statement = sa.select(DocumentImportCursor).where(DocumentImportCursor.connection == connection)
    return {cursor.document_type: cursor.last_updated_at for cursor in session.scalars(statement)}


def set_cursor(
    session: Session, connection: str, document_type: DocumentType, last_updated_at: dt.datetime
) -> None:
    """Move the cursor of this connection and document type (never backwards)."""
    statement = sa.select(DocumentImportCursor).where(
        DocumentImportCursor.connection == connection,
        DocumentImportCursor.document_type == document_type,
    )
    cursor = session.scalars(statement).one_or_none()
    if cursor is None:
        add(
            session,
            DocumentImportCursor(
                connection=connection,
                document_type=document_type,
                last_updated_at=last_updated_at,
            ),
        )
    elif last_updated_at > cursor.last_updated_at:
        cursor.last_updated_at = last_updated_at
        session.flush()


def project_rows(session: Session, project_ids: Iterable[int]) -> list[Row]:
    """The projects with these ids, as dicts of column values."""
    return table_rows(session, Project, Project.id.in_(list(project_ids)))


def find_customer_by_address(
    session: Session,
    *,
    company_name: str,
    street: str | None,
    zip_code: str | None,
    city: str | None,
    country_code: str,
) -> Customer | None:
    """The first company customer with exactly this name and billing address, or None."""
    statement = (
        sa.select(Customer)
        .where(
            Customer.kind == CustomerKind.COMPANY,
            Customer.company_name == company_name,
            _equal_or_null(Customer.billing_street, street),
            _equal_or_null(Customer.billing_zip, zip_code),
            _equal_or_null(Customer.billing_city, city),
            Customer.billing_country_code == country_code,
        )
        .order_by(Customer.id)
        .limit(1)
    )
    return session.scalars(statement).first()


def _equal_or_null(
    column: InstrumentedAttribute[str | None], value: str | None
) -> sa.ColumnElement[bool]:
    return column.is_(None) if value is None else column == value
