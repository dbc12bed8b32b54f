"""lexoffice's event subscriptions for the webhook receiver: make sure they exist, say so.

lexoffice deletes a subscription after failed deliveries (404/410, retries exhausted) and
when the API key changes, so this is run again and again: it lists what lexoffice has and
creates only what is missing. Creating is idempotent: 409 means lexoffice has it already.
"""

from __future__ import annotations

from dataclasses import dataclass

from prefect import task
from prefect.cache_policies import NO_CACHE

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import (
    LexofficeError,
    OutcomeUnknownError,
    VersionConflictError,
)
from connectors.lexoffice.models import EventSubscription
from tasks.report import Problem, RunReport

CONTACT_EVENT_TYPES = ("contact.created", "contact.changed", "contact.deleted")
SECTION = ("event subscriptions", "system → lexoffice")


@dataclass(frozen=True)
class SubscriptionState:
    """One wanted event type: `present` (was there), `created` (now), or `failed` (why)."""

    event_type: str
    status: str
    subscription_id: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("present", "created")


def ensure_subscriptions(
    client: LexofficeClient, callback_url: str, event_types: tuple[str, ...] = CONTACT_EVENT_TYPES
) -> list[SubscriptionState]:
    """Each event type subscribed for `callback_url`: the ones missing are created."""
    existing = _subscribed(client, callback_url)
    states = []
    for event_type in event_types:
        if event_type in existing:
            states.append(SubscriptionState(event_type, "present", existing[event_type]))
        else:
            states.append(_create(client, event_type, callback_url))
    return states


def _subscribed(client: LexofficeClient, callback_url: str) -> dict[str, str | None]:
    """event type → subscription id, of the subscriptions for this callback URL."""
    found: list[EventSubscription] = client.list_event_subscriptions()
    return {
        s.event_type.lower(): s.subscription_id for s in found if s.callback_url == callback_url
    }


def _create(client: LexofficeClient, event_type: str, callback_url: str) -> SubscriptionState:
    try:
        result = client.create_event_subscription(event_type, callback_url)
    except VersionConflictError:  # 409: created meanwhile (by another run): it is there
        found = _subscribed(client, callback_url).get(event_type)
        return SubscriptionState(event_type, "present", found)
    except OutcomeUnknownError:  # the answer was lost: look before saying anything
        found = _subscribed(client, callback_url).get(event_type)
        if found is not None:
            return SubscriptionState(event_type, "created", found)
        return SubscriptionState(event_type, "failed", reason="lexoffice hat nicht geantwortet")
    except LexofficeError as error:
        # 406: the URL is not HTTPS, or lexoffice's HEAD probe of it failed.
        return SubscriptionState(event_type, "failed", reason=str(error))
    return SubscriptionState(event_type, "created", result.id)


def report_subscriptions(states: list[SubscriptionState], report: RunReport) -> None:
    """Counts per state, and every failure with its reason."""
    section = report.section(*SECTION)
    for state in states:
        if state.ok:
            section.count(state.status)
        else:
            section.add_problem(Problem("error", state.event_type, state.reason or "failed"))


@task(cache_policy=NO_CACHE)
def ensure_event_subscriptions(
    client: LexofficeClient, callback_url: str, report: RunReport
) -> list[SubscriptionState]:
    """lexoffice has contact.created, contact.changed and contact.deleted for the URL."""
    states = ensure_subscriptions(client, callback_url)
    report_subscriptions(states, report)
    return states
