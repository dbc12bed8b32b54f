"""Query functions of the field-service database: they take a Session and never commit.

The caller, a task, owns the transaction (`with sessions.begin() as session:`); functions
here at most flush, so that new records get their ids.
"""

from __future__ import annotations

from connectors.fieldservice.queries.catalog import (
    activity_rows,
    get_activity_by_name,
    get_product,
    get_product_by_article_number,
    insert_activities,
    insert_products,
    list_employee_functions,
    list_machines,
    list_vehicles,
    product_rows,
    update_activities,
    update_products,
)
from connectors.fieldservice.queries.common import add, table_rows
from connectors.fieldservice.queries.customers import (
    customer_rows,
    get_customer,
    get_customer_by_number,
    insert_customers,
    list_customers,
    update_customers,
)
from connectors.fieldservice.queries.documents import (
    document_import_rows,
    find_customer_by_address,
    get_cursors,
    get_document_import,
    mark_changes_reported,
    project_rows,
    save_document_import,
    set_cursor,
)
from connectors.fieldservice.queries.invoicing import (
    active_lexoffice_ids,
    add_invoice_attempt,
    claim_invoice_attempt,
    get_invoice_attempt,
    set_invoice_attempt_status,
)
from connectors.fieldservice.queries.pending_creates import (
    drop_pending_create,
    mark_pending_create,
    pending_creates,
)
from connectors.fieldservice.queries.sync import (
    append_issues,
    append_journal,
    get_link,
    get_link_by_lexoffice_id,
    journal_entries,
    link_rows,
    list_issues,
    recent_runs,
    resolve_issues,
    resolve_open_issues,
    set_link_status,
    upsert_link,
    upsert_links,
)
from connectors.fieldservice.queries.webhooks import (
    claim_webhook_events,
    count_claimable_webhook_events,
    insert_webhook_event,
    mark_webhook_batch_processed,
    webhook_event_rows,
)
from connectors.fieldservice.queries.work_reports import (
    get_project_by_lexoffice_id,
    get_work_report,
    list_projects,
    list_work_reports,
    mark_work_report_invoiced,
)

__all__ = [
    "active_lexoffice_ids",
    "activity_rows",
    "add",
    "add_invoice_attempt",
    "append_issues",
    "append_journal",
    "claim_invoice_attempt",
    "claim_webhook_events",
    "count_claimable_webhook_events",
    "customer_rows",
    "document_import_rows",
    "drop_pending_create",
    "find_customer_by_address",
    "get_activity_by_name",
    "get_cursors",
    "get_customer",
    "get_customer_by_number",
    "get_document_import",
    "get_invoice_attempt",
    "get_link",
    "get_link_by_lexoffice_id",
    "get_product",
    "get_product_by_article_number",
    "get_project_by_lexoffice_id",
    "get_work_report",
    "insert_activities",
    "insert_customers",
    "insert_products",
    "insert_webhook_event",
    "journal_entries",
    "link_rows",
    "list_customers",
    "list_employee_functions",
    "list_issues",
    "list_machines",
    "list_projects",
    "list_vehicles",
    "list_work_reports",
    "mark_changes_reported",
    "mark_pending_create",
    "mark_webhook_batch_processed",
    "mark_work_report_invoiced",
    "pending_creates",
    "product_rows",
    "project_rows",
    "recent_runs",
    "resolve_issues",
    "resolve_open_issues",
    "save_document_import",
    "set_cursor",
    "set_invoice_attempt_status",
    "set_link_status",
    "table_rows",
    "update_activities",
    "update_customers",
    "update_products",
    "upsert_link",
    "upsert_links",
    "webhook_event_rows",
]
