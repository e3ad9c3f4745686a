"""Request bodies. Money is integer fen; times carry an offset."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Fen = Annotated[int, Field(strict=True)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SkuIn(Body):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    spec: str = ""
    price_fen: Annotated[Fen, Field(gt=0)]
    cost_fen: Annotated[Fen, Field(ge=0)]
    stock: Annotated[int, Field(ge=0)]
    presale_stock: Annotated[int, Field(ge=0)] = 0
    safety_stock: Annotated[int, Field(ge=0)] = 0


class ProductIn(Body):
    name: Name
    category: Annotated[str, Field(min_length=1, max_length=64)]
    tier: Literal["traffic", "profit", "flagship"]
    skus: Annotated[list[SkuIn], Field(min_length=1, max_length=200)]
    brand: str = ""
    description: str = ""
    shipping_regions: list[str] = Field(default_factory=lambda: ["全国"])
    ship_lead_days: Annotated[int, Field(ge=0, le=365)] = 2
    restock_lead_days: Annotated[int, Field(ge=0, le=365)] = 7
    qualification_docs: list[str] = Field(default_factory=list)
    history: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class HistoryIn(Body):
    history: dict[str, Annotated[int, Field(ge=0)]]


class TargetsIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    gmv_fen: Annotated[int, Field(ge=0)] | None = None
    viewers: Annotated[int, Field(ge=0)] | None = None
    conversion_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    new_members: Annotated[int, Field(ge=0)] | None = None


class SessionIn(Body):
    title: Name
    theme: str = ""
    scheduled_start: AwareDatetime
    duration_minutes: Annotated[int, Field(ge=10, le=1440)]
    targets: TargetsIn = Field(default_factory=TargetsIn)
    roles: dict[str, str] = Field(default_factory=dict)
    channel_budget: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    max_price_drop_pct: Annotated[int, Field(ge=1, le=99)] | None = None


class LineupItemIn(Body):
    sku_id: str
    live_price_fen: Annotated[Fen, Field(gt=0)]
    floor_price_fen: Annotated[Fen, Field(gt=0)] | None = None
    flash_quantity: Annotated[int, Field(ge=0)] = 0
    talking_points: dict[str, str] = Field(default_factory=dict)


class LineupIn(Body):
    items: list[LineupItemIn]


class SegmentIn(Body):
    kind: Literal["warmup", "opening", "product", "promotion", "closing"]
    start_minute: int
    duration_minutes: Annotated[int, Field(gt=0)]
    title: str = ""
    sku_id: str | None = None
    giveaway: bool = False
    script: str = ""
    contingency: str = ""


class SegmentsIn(Body):
    segments: list[SegmentIn]


class TickIn(Body):
    ok: bool = True
    note: str = ""


class PriceIn(Body):
    price_fen: Fen
    reason: str = ""
    override: bool = False
    override_reason: str = ""


class ExplainIn(Body):
    sku_id: str | None


class CouponIn(Body):
    name: Name
    kind: Literal["threshold", "fixed"]
    discount_fen: Annotated[Fen, Field(gt=0)]
    threshold_fen: Annotated[Fen, Field(ge=0)] = 0
    total: Annotated[int, Field(gt=0)]
    per_buyer_limit: Annotated[int, Field(gt=0)] = 1
    sku_id: str | None = None
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    channel: str | None = None
    code: str | None = None
    issue_now: bool = False


class FlashSaleIn(Body):
    sku_id: str
    price_fen: Annotated[Fen, Field(gt=0)]
    quantity: Annotated[int, Field(gt=0)]
    per_buyer_limit: Annotated[int, Field(gt=0)] = 1
    starts_at: AwareDatetime | None = None


class LadderStepIn(Body):
    after_sold: Annotated[int, Field(ge=0)]
    price_fen: Annotated[Fen, Field(gt=0)]


class LadderIn(Body):
    sku_id: str
    steps: Annotated[list[LadderStepIn], Field(min_length=1)]


class AnnouncementIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=500)]
    pinned: bool = False


class UserIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    role: Literal["admin", "host", "console", "ops", "cs", "merchant", "connector"]
    display_name: str = ""
