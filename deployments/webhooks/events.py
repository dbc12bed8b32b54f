"""The callback body lexoffice sends: `{organizationId, eventType, resourceId, eventDate}`."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from pydantic.alias_generators import to_camel

from tasks.subscriptions import (
    ARTICLE_EVENT_TYPES,
    CONTACT_EVENT_TYPES,
    DOCUMENT_EVENT_TYPES,
    INVOICE_EVENT_TYPES,
    MANAGED_EVENT_TYPES,
)

CONTACT_EVENTS = CONTACT_EVENT_TYPES
CONTACT_DELETED = "contact.deleted"
ARTICLE_EVENTS = ARTICLE_EVENT_TYPES
INVOICE_EVENTS = INVOICE_EVENT_TYPES
DOCUMENT_EVENTS = DOCUMENT_EVENT_TYPES
# The events the receiver stores and a flow run applies; others are acknowledged and dropped.
HANDLED_EVENTS = MANAGED_EVENT_TYPES


class CallbackEvent(BaseModel):
    """One event; it names the resource only, its state must be read from lexoffice."""

    # Unknown extra keys are tolerated (lexoffice may add some); the four are required.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    organization_id: uuid.UUID
    event_type: str = Field(min_length=1, max_length=64)
    resource_id: uuid.UUID
    event_date: AwareDatetime

    @property
    def is_contact_event(self) -> bool:
        return self.event_type.lower() in CONTACT_EVENTS

    @property
    def is_handled(self) -> bool:
        return self.event_type.lower() in HANDLED_EVENTS

    def utc_date(self) -> dt.datetime:
        return self.event_date.astimezone(dt.UTC)


def parse_event(body: bytes) -> CallbackEvent | None:
    """The event, or None when the body is not the expected JSON object."""
    try:
        return CallbackEvent.model_validate_json(body)
    except PydanticValidationError:
        return None
