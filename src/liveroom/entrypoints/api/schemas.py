"""Request bodies. Money is integer fen; times carry an offset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from liveroom.core.money import MAX_FEN

# Bounds follow the columns, so that PostgreSQL never sees a value it would refuse (a 500)
# and SQLite never stores one PostgreSQL would refuse.
MAX_COUNT = 2**31 - 1  # INTEGER columns: stock, quantities, limits
Fen = Annotated[int, Field(strict=True, le=MAX_FEN)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=32)]


def _plausible(moment: datetime) -> datetime:
    # Year 1 or 9999 parse, but overflow as soon as they are moved to UTC or added to.
    if not 2000 <= moment.year <= 2100:
        raise ValueError("a date between the years 2000 and 2100")
    return moment.astimezone(UTC)


Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SkuIn(Body):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    spec: Text = ""
    price_fen: Annotated[Fen, Field(gt=0)]
    cost_fen: Annotated[Fen, Field(ge=0)]
    stock: Count
    presale_stock: Count = 0
    safety_stock: Count = 0


class ProductIn(Body):
    name: Name
    category: Annotated[str, Field(min_length=1, max_length=64)]
    tier: Literal["traffic", "profit", "flagship"]
    skus: Annotated[list[SkuIn], Field(min_length=1, max_length=200)]
    brand: Annotated[str, Field(max_length=100)] = ""
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
    gmv_fen: Annotated[Fen, Field(ge=0)] | None = None
    viewers: Annotated[int, Field(ge=0)] | None = None
    conversion_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    new_members: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _extra_targets_are_numbers(self) -> TargetsIn:
        # Further KPI targets are free-form, but numbers: the plan and the review compare.
        for key, value in (self.model_extra or {}).items():
            if value is not None and (isinstance(value, bool) or not isinstance(
                    value, int | float) or not 0 <= value < float("inf")):
                raise ValueError(f"target {key} must be a finite number ≥ 0")
        return self


class SessionIn(Body):
    title: Name
    theme: Text = ""
    scheduled_start: Moment
    duration_minutes: Annotated[int, Field(ge=10, le=1440)]
    targets: TargetsIn = Field(default_factory=TargetsIn)
    roles: dict[str, str] = Field(default_factory=dict)
    channel_budget: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    max_price_drop_pct: Annotated[int, Field(ge=1, le=99)] | None = None


class LineupItemIn(Body):
    sku_id: str
    live_price_fen: Annotated[Fen, Field(gt=0)]
    floor_price_fen: Annotated[Fen, Field(gt=0)] | None = None
    flash_quantity: Count = 0
    talking_points: dict[str, str] = Field(default_factory=dict)


class Override(Body):
    """An ops/admin override of the price guard: audited with its reason."""

    override: bool = False
    override_reason: Annotated[str, Field(max_length=200)] = ""


class LineupIn(Override):
    items: list[LineupItemIn]


class SegmentIn(Body):
    kind: Literal["warmup", "opening", "product", "promotion", "closing"]
    start_minute: int
    duration_minutes: Annotated[int, Field(gt=0)]
    title: Text = ""
    sku_id: str | None = None
    giveaway: bool = False
    script: str = ""
    contingency: str = ""


class SegmentsIn(Body):
    segments: list[SegmentIn]


class TickIn(Body):
    ok: bool = True
    note: str = ""


class PriceIn(Override):
    price_fen: Fen
    reason: str = ""


class ExplainIn(Body):
    sku_id: str | None


class CouponIn(Override):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["threshold", "fixed"]
    discount_fen: Annotated[Fen, Field(gt=0)]
    threshold_fen: Annotated[Fen, Field(ge=0)] = 0
    total: Annotated[Count, Field(gt=0)]
    per_buyer_limit: Annotated[Count, Field(gt=0)] = 1
    sku_id: str | None = None
    valid_from: Moment | None = None
    valid_until: Moment | None = None
    channel: Code | None = None
    code: Code | None = None
    issue_now: bool = False


class FlashSaleIn(Override):
    sku_id: str
    price_fen: Annotated[Fen, Field(gt=0)]
    quantity: Annotated[Count, Field(gt=0)]
    per_buyer_limit: Annotated[Count, Field(gt=0)] = 1
    starts_at: Moment | None = None


class LadderStepIn(Body):
    after_sold: Annotated[int, Field(ge=0)]
    price_fen: Annotated[Fen, Field(gt=0)]


class LadderIn(Override):
    sku_id: str
    steps: Annotated[list[LadderStepIn], Field(min_length=1)]


class AnnouncementIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=500)]
    pinned: bool = False


class UserIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    role: Literal["admin", "host", "console", "ops", "cs", "merchant", "connector"]
    display_name: str = ""
