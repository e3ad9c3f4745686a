from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from liveroom.core.messages import Command, Event


@dataclass(frozen=True)
class SkuSpec:
    code: str
    spec: str
    price_fen: int
    cost_fen: int
    stock: int
    presale_stock: int = 0
    safety_stock: int = 0


@dataclass(frozen=True)
class CreateProduct(Command):
    action: ClassVar[str] = "product.write"
    name: str
    category: str
    tier: str
    skus: list[SkuSpec]
    brand: str = ""
    merchant: str = ""
    description: str = ""
    shipping_regions: list[str] = field(default_factory=lambda: ["全国"])
    ship_lead_days: int = 2
    restock_lead_days: int = 7
    qualification_docs: list[str] = field(default_factory=list)
    history: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class UpdateProductHistory(Command):
    action: ClassVar[str] = "product.write"
    product_id: str
    history: dict[str, int]


@dataclass(frozen=True)
class RefreshProductStats(Command):
    """Recount what our shows sold of these products (or of a session's lineup)."""

    action: ClassVar[str] = "product.write"
    session_id: str | None = None
    product_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductCreated(Event):
    product_id: str
    name: str
    tier: str
    sku_ids: list[str]


@dataclass(frozen=True)
class UpdateProduct(Command):
    """Only the fields given (not None) change."""

    action: ClassVar[str] = "product.write"
    product_id: str
    name: str | None = None
    category: str | None = None
    tier: str | None = None
    brand: str | None = None
    merchant: str | None = None
    description: str | None = None
    shipping_regions: list[str] | None = None
    ship_lead_days: int | None = None
    restock_lead_days: int | None = None
    qualification_docs: list[str] | None = None


@dataclass(frozen=True)
class UpdateSku(Command):
    """Only the fields given change. `stock` sets the count (only if it still is
    `expected_stock`, when given); `restock` adds units. A new price or cost is checked by
    the price guard in every planned, rehearsing or live show that has the SKU."""

    action: ClassVar[str] = "product.write"
    sku_id: str
    spec: str | None = None
    price_fen: int | None = None
    cost_fen: int | None = None
    stock: int | None = None
    expected_stock: int | None = None
    restock: int | None = None
    presale_stock: int | None = None
    safety_stock: int | None = None
    override: bool = False
    override_reason: str = ""
