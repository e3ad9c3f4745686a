"""Request bodies of the PATCH routes: every field optional, only what is sent changes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from liveroom.entrypoints.api.schemas import (
    Body,
    Count,
    Fen,
    LongText,
    Merchant,
    Moment,
    Name,
    TargetsIn,
    Text,
)

Days = Annotated[int, Field(ge=0, le=365)]
Label = Annotated[str, Field(min_length=1, max_length=100)]


class ProductPatch(Body):
    name: Name | None = None
    category: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    tier: Literal["traffic", "profit", "flagship"] | None = None
    brand: Annotated[str, Field(max_length=100)] | None = None
    merchant: Merchant | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    shipping_regions: Annotated[list[Label], Field(min_length=1, max_length=100)] | None = None
    ship_lead_days: Days | None = None
    restock_lead_days: Days | None = None
    qualification_docs: Annotated[list[Label], Field(max_length=50)] | None = None


class SkuPatch(Body):
    spec: Text | None = None
    price_fen: Annotated[Fen, Field(gt=0)] | None = None
    cost_fen: Annotated[Fen, Field(ge=0)] | None = None
    stock: Count | None = None
    expected_stock: Count | None = None
    restock: Annotated[Count, Field(gt=0)] | None = None
    presale_stock: Count | None = None
    safety_stock: Count | None = None
    override: bool = False
    override_reason: Annotated[str, Field(max_length=200)] = ""


class SessionPatch(Body):
    title: Name | None = None
    theme: Text | None = None
    scheduled_start: Moment | None = None
    duration_minutes: Annotated[int, Field(ge=10, le=1440)] | None = None
    targets: TargetsIn | None = None
    sku_targets: Annotated[dict[Annotated[str, Field(max_length=32)], Count],
                           Field(max_length=200)] | None = None
    channel_budget: dict[Annotated[str, Field(max_length=32)],
                         Annotated[Fen, Field(ge=0)]] | None = None


class ContingencyIn(Body):
    """Contingency scripts per kind of trouble; the whole set is replaced."""

    scripts: dict[Literal["equipment_failure", "out_of_stock", "slip_of_tongue"], LongText]
