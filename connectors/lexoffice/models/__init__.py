"""Typed pydantic models of lexoffice's JSON (camelCase on the wire, snake_case in Python)."""

from __future__ import annotations

from connectors.lexoffice.models.articles import Article, ArticlePrice, ArticleType, LeadingPrice
from connectors.lexoffice.models.base import (
    KeepUnknownModel,
    LexDateTime,
    LexofficeModel,
    Money,
    decimal_to_json_number,
)
from connectors.lexoffice.models.common import ActionResult, Page
from connectors.lexoffice.models.contacts import (
    Address,
    Addresses,
    Company,
    Contact,
    ContactPerson,
    EmailAddresses,
    Person,
    PhoneNumbers,
    Role,
    Roles,
    XRechnung,
)
from connectors.lexoffice.models.errors import (
    ErrorDetail,
    Issue,
    IssueListBody,
    RegularErrorBody,
    Violation,
)
from connectors.lexoffice.models.event_subscriptions import (
    EventSubscription,
    EventSubscriptionList,
    WebhookEvent,
)
from connectors.lexoffice.models.profile import Profile
from connectors.lexoffice.models.voucherlist import VoucherlistEntry
from connectors.lexoffice.models.vouchers import (
    DeliveryNote,
    Invoice,
    LineItem,
    OrderConfirmation,
    PaymentConditions,
    ShippingConditions,
    TaxAmount,
    TaxConditions,
    TotalPrice,
    UnitPrice,
    VoucherAddress,
)

__all__ = [
    "ActionResult",
    "Address",
    "Addresses",
    "Article",
    "ArticlePrice",
    "ArticleType",
    "Company",
    "Contact",
    "ContactPerson",
    "DeliveryNote",
    "EmailAddresses",
    "ErrorDetail",
    "EventSubscription",
    "EventSubscriptionList",
    "Invoice",
    "Issue",
    "IssueListBody",
    "KeepUnknownModel",
    "LeadingPrice",
    "LexDateTime",
    "LexofficeModel",
    "LineItem",
    "Money",
    "OrderConfirmation",
    "Page",
    "PaymentConditions",
    "Person",
    "PhoneNumbers",
    "Profile",
    "RegularErrorBody",
    "Role",
    "Roles",
    "ShippingConditions",
    "TaxAmount",
    "TaxConditions",
    "TotalPrice",
    "UnitPrice",
    "Violation",
    "VoucherAddress",
    "VoucherlistEntry",
    "WebhookEvent",
    "XRechnung",
    "decimal_to_json_number",
]
