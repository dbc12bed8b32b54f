"""Order confirmations and delivery notes from lexoffice imported as projects (issue 7).

extract (voucherlist, then each document) → plan against the documents imported before →
mapping document → project (pure) → load (projects, failures, changes reported, cursors).
The Prefect tasks are in `steps`; the flow is `flows.documents.import_documents`.
"""
