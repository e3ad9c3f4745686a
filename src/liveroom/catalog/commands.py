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
