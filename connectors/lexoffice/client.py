"""LexofficeClient: the lexoffice operations lexsync needs, for one connection."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from types import TracebackType
from typing import TypeVar

import httpx
from pydantic import BaseModel

from connectors.lexoffice.models import (
    ActionResult,
    Article,
    Contact,
    DeliveryNote,
    EventSubscription,
    EventSubscriptionList,
    Invoice,
    OrderConfirmation,
    Page,
    Profile,
    VoucherlistEntry,
)
from connectors.lexoffice.models.payments import Payments
from connectors.lexoffice.models.vouchers import SalesVoucher
from connectors.lexoffice.pacing import FileSlotStore, Pacer, SlotPlan, SlotStore
from connectors.lexoffice.paging import Listing, iter_items
from connectors.lexoffice.search import Params, html_encode_search, require_search_length
from connectors.lexoffice.settings import LexofficeSettings
from connectors.lexoffice.transport import Transport
from connectors.lexoffice.voucherlist import VoucherlistQuery, iter_voucherlist
from connectors.lexoffice.writability import require_writable_contact

ModelT = TypeVar("ModelT", bound=BaseModel)
PAGE_SIZE = 250


def build_pacer(settings: LexofficeSettings) -> Pacer:
    """The pacer for this connection's API key: Redis if configured, else a local file."""
    store: SlotStore
    if settings.pacing_redis_url:
        from connectors.lexoffice.pacing_redis import RedisSlotStore

        store = RedisSlotStore.from_url(settings.pacing_redis_url)
    else:
        store = FileSlotStore(settings.pacing_dir)
    plan = SlotPlan(settings.rate_per_second, settings.pacing_margin_seconds)
    return Pacer(store, settings.key_fingerprint(), plan)


def build_http_client(settings: LexofficeSettings) -> httpx.Client:
    """The default HTTP client, with the settings' timeouts."""
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    return httpx.Client(timeout=timeout)


class LexofficeClient:
    """Talks to one lexoffice account. Use as a context manager, or call `close()`."""

    def __init__(
        self,
        settings: LexofficeSettings,
        http: httpx.Client | None = None,
        *,
        pacer: Pacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`sleep` and `clock` time the retry waits (tests pass a fake clock)."""
        self.settings = settings
        self._owns_http = http is None
        self._http = http if http is not None else build_http_client(settings)
        pacer = pacer or build_pacer(settings)
        self._transport = Transport(settings, self._http, pacer, sleep=sleep, clock=clock)

    def __repr__(self) -> str:
        return f"LexofficeClient(base_url={self.settings.api_root!r})"

    def __enter__(self) -> LexofficeClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            self._http.close()

    # --- contacts -------------------------------------------------------------------

    def create_contact(self, contact: Contact) -> ActionResult:
        """Create a contact (lexoffice wants version 0 on create)."""
        require_writable_contact(contact)
        body = contact.to_write_json() | {"version": 0}
        return self._write("POST", "/v1/contacts", body)

    def get_contact(self, contact_id: str) -> Contact:
        return self._get(f"/v1/contacts/{contact_id}", Contact)

    def update_contact(self, contact: Contact) -> ActionResult:
        """PUT a contact read earlier (its `version` must be the latest; 409 otherwise)."""
        require_writable_contact(contact)
        contact_id = _require_id(contact.id, "contact")
        return self._write("PUT", f"/v1/contacts/{contact_id}", contact.to_write_json())

    def iter_contacts(
        self,
        *,
        email: str | None = None,
        name: str | None = None,
        number: int | None = None,
        customer: bool | None = None,
        vendor: bool | None = None,
    ) -> Listing[Contact]:
        """Every contact matching all given filters (lexoffice orders them by name)."""
        params: dict[str, str | int | bool | None] = {
            "email": _contact_search("email", email),
            "name": _contact_search("name", name),
            "number": number,
            "customer": customer,
            "vendor": vendor,
        }
        return self._iter("/v1/contacts", Contact, params)

    # --- articles -------------------------------------------------------------------

    def create_article(self, article: Article) -> ActionResult:
        return self._write("POST", "/v1/articles", article.to_write_json())

    def get_article(self, article_id: str) -> Article:
        return self._get(f"/v1/articles/{article_id}", Article)

    def update_article(self, article: Article) -> ActionResult:
        """PUT an article read earlier (its `version` must be the latest; 409 otherwise)."""
        article_id = _require_id(article.id, "article")
        return self._write("PUT", f"/v1/articles/{article_id}", article.to_write_json())

    def delete_article(self, article_id: str) -> None:
        self._transport.request("DELETE", f"/v1/articles/{article_id}")

    def iter_articles(
        self,
        *,
        article_number: str | None = None,
        gtin: str | None = None,
        article_type: str | None = None,
    ) -> Listing[Article]:
        """Every article matching all given filters; `article_type` is PRODUCT or SERVICE."""
        params = {"articleNumber": article_number, "gtin": gtin, "type": article_type}
        return self._iter("/v1/articles", Article, params)

    # --- sales vouchers -------------------------------------------------------------

    def create_invoice(
        self, invoice: Invoice, *, finalize: bool = False, preceding_id: str | None = None
    ) -> ActionResult:
        """Create an invoice: a draft, or finalized (`open`) with `finalize=True`."""
        return self._create_voucher("/v1/invoices", invoice, finalize, preceding_id)

    def get_invoice(self, invoice_id: str) -> Invoice:
        return self._get(f"/v1/invoices/{invoice_id}", Invoice)

    def get_payments(self, voucher_id: str) -> Payments:
        """The payment state of a finalized voucher (a draft: 406)."""
        return self._get(f"/v1/payments/{voucher_id}", Payments)

    def create_order_confirmation(
        self, voucher: OrderConfirmation, *, finalize: bool = False, preceding_id: str | None = None
    ) -> ActionResult:
        return self._create_voucher("/v1/order-confirmations", voucher, finalize, preceding_id)

    def get_order_confirmation(self, voucher_id: str) -> OrderConfirmation:
        return self._get(f"/v1/order-confirmations/{voucher_id}", OrderConfirmation)

    def create_delivery_note(
        self, voucher: DeliveryNote, *, finalize: bool = False, preceding_id: str | None = None
    ) -> ActionResult:
        return self._create_voucher("/v1/delivery-notes", voucher, finalize, preceding_id)

    def get_delivery_note(self, voucher_id: str) -> DeliveryNote:
        return self._get(f"/v1/delivery-notes/{voucher_id}", DeliveryNote)

    def iter_voucherlist(
        self, query: VoucherlistQuery, *, today: date | None = None
    ) -> Iterator[VoucherlistEntry]:
        """Every voucherlist entry matching `query`, split by date below the 10,000 window."""
        return iter_voucherlist(self._voucherlist_page, query, today or date.today())

    def _voucherlist_page(self, query: VoucherlistQuery, number: int) -> Page[VoucherlistEntry]:
        params = {**query.params(), "page": number, "size": PAGE_SIZE}
        return self._get("/v1/voucherlist", Page[VoucherlistEntry], params)

    def _create_voucher(
        self, path: str, voucher: SalesVoucher, finalize: bool, preceding_id: str | None
    ) -> ActionResult:
        params = {"finalize": True if finalize else None, "precedingSalesVoucherId": preceding_id}
        return self._write("POST", path, voucher.to_write_json(), params)

    # --- event subscriptions and profile ----------------------------------------------

    def create_event_subscription(self, event_type: str, callback_url: str) -> ActionResult:
        """Subscribe `callback_url` (HTTPS) to `event_type`; 409 if it already exists."""
        subscription = EventSubscription(event_type=event_type, callback_url=callback_url)
        return self._write("POST", "/v1/event-subscriptions", subscription.to_write_json())

    def list_event_subscriptions(self) -> list[EventSubscription]:
        return self._get("/v1/event-subscriptions", EventSubscriptionList).content

    def get_event_subscription(self, subscription_id: str) -> EventSubscription:
        return self._get(f"/v1/event-subscriptions/{subscription_id}", EventSubscription)

    def delete_event_subscription(self, subscription_id: str) -> None:
        self._transport.request("DELETE", f"/v1/event-subscriptions/{subscription_id}")

    def get_profile(self) -> Profile:
        return self._get("/v1/profile", Profile)

    # --- plumbing ---------------------------------------------------------------------

    def _get(self, path: str, model: type[ModelT], params: Params | None = None) -> ModelT:
        response = self._transport.request("GET", path, params=params)
        return model.model_validate_json(response.content)

    def _write(
        self, method: str, path: str, body: dict[str, object], params: Params | None = None
    ) -> ActionResult:
        response = self._transport.request(method, path, params=params, body=body)
        return ActionResult.model_validate_json(response.content)

    def _iter(self, path: str, model: type[ModelT], params: Params) -> Listing[ModelT]:
        def fetch(number: int) -> Page[ModelT]:
            page_params = {**params, "page": number, "size": PAGE_SIZE}
            return self._get(path, Page[model], page_params)  # type: ignore[valid-type]

        return iter_items(fetch)


def _contact_search(name: str, text: str | None) -> str | None:
    if text is None:
        return None
    require_search_length(name, text)
    return html_encode_search(text)


def _require_id(resource_id: str | None, kind: str) -> str:
    if not resource_id:
        raise ValueError(f"this {kind} has no id; read it from lexoffice before updating")
    return resource_id
