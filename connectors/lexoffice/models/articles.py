"""Articles (`/v1/articles`): the user's products and services with a price."""

from __future__ import annotations

from enum import StrEnum

from connectors.lexoffice.models.base import KeepUnknownModel, LexDateTime, Money, read_only


class ArticleType(StrEnum):
    PRODUCT = "PRODUCT"
    SERVICE = "SERVICE"


class LeadingPrice(StrEnum):
    NET = "NET"
    GROSS = "GROSS"


class ArticlePrice(KeepUnknownModel):
    """`leading_price` says which price was sent; lexoffice computes the other one."""

    net_price: Money | None = None
    gross_price: Money | None = None
    leading_price: LeadingPrice | None = None
    tax_rate: Money | None = None


class Article(KeepUnknownModel):
    """A lexoffice article. Unknown keys are kept for GET → merge → PUT."""

    id: str | None = read_only()
    organization_id: str | None = read_only()
    created_date: LexDateTime | None = read_only()
    updated_date: LexDateTime | None = read_only()
    archived: bool | None = read_only()
    title: str | None = None
    description: str | None = None
    type: ArticleType | str | None = None
    article_number: str | None = None
    gtin: str | None = None
    note: str | None = None
    unit_name: str | None = None
    price: ArticlePrice | None = None
    version: int = 0

    def to_write_json(self) -> dict[str, object]:
        """The body for create/update; only the leading price is sent (the other is computed)."""
        body = super().to_write_json()
        price = body.get("price")
        if isinstance(price, dict) and self.price is not None:
            computed = {"NET": "grossPrice", "GROSS": "netPrice"}.get(str(self.price.leading_price))
            if computed:
                price.pop(computed, None)
        return body
