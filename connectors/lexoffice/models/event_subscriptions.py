"""Event subscriptions (`/v1/event-subscriptions`): lexoffice's webhooks."""

from __future__ import annotations

from pydantic import Field

from connectors.lexoffice.models.base import LexDateTime, LexofficeModel, read_only


class EventSubscription(LexofficeModel):
    """A webhook: lexoffice POSTs `event_type` events for this account to `callback_url`."""

    subscription_id: str | None = read_only()
    organization_id: str | None = read_only()
    created_date: LexDateTime | None = read_only()
    event_type: str
    callback_url: str


class EventSubscriptionList(LexofficeModel):
    """The (unpaged) list: `{"content": [...]}`."""

    content: list[EventSubscription] = Field(default_factory=list)


class WebhookEvent(LexofficeModel):
    """The body lexoffice POSTs to a callback: only ids; GET the resource for its state."""

    organization_id: str
    event_type: str
    resource_id: str
    event_date: LexDateTime
