"""The profile (`/v1/profile`): which lexoffice organization a key belongs to."""

from __future__ import annotations

from pydantic import Field

from connectors.lexoffice.models.base import LexDateTime, LexofficeModel


class ProfileCreator(LexofficeModel):
    user_id: str | None = None
    user_name: str | None = None
    user_email: str | None = None
    date: LexDateTime | None = None


class Profile(LexofficeModel):
    """`organization_id` identifies the tenant; `tax_type` is net, gross or vatfree."""

    organization_id: str
    company_name: str | None = None
    created: ProfileCreator | None = None
    connection_id: str | None = None
    features: list[str] = Field(default_factory=list)
    business_features: list[str] = Field(default_factory=list)
    subscription_status: str | None = None
    tax_type: str | None = None
    small_business: bool | None = None
    distance_sales_principle: str | None = None
