"""Mapping between lexoffice JSON and lexsync's canonical records (pure, no I/O)."""

from __future__ import annotations

from tasks.mapping.articles import (
    apply_activity_to_article,
    apply_product_to_article,
    article_to_activity,
    article_to_product,
)
from tasks.mapping.contacts import apply_customer_to_contact, contact_to_customer
from tasks.mapping.records import (
    ACTIVITY,
    ACTIVITY_WITHOUT_PRICE,
    CUSTOMER,
    PRODUCT,
    CanonicalActivity,
    CanonicalCustomer,
    CanonicalProduct,
    EntitySpec,
)
from tasks.mapping.remote import NotSynced, RemoteRecord
from tasks.mapping.tables import links_frame, local_frame, remote_frame

__all__ = [
    "ACTIVITY",
    "ACTIVITY_WITHOUT_PRICE",
    "CUSTOMER",
    "PRODUCT",
    "CanonicalActivity",
    "CanonicalCustomer",
    "CanonicalProduct",
    "EntitySpec",
    "NotSynced",
    "RemoteRecord",
    "apply_activity_to_article",
    "apply_customer_to_contact",
    "apply_product_to_article",
    "article_to_activity",
    "article_to_product",
    "contact_to_customer",
    "links_frame",
    "local_frame",
    "remote_frame",
]
