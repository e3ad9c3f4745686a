"""Request bodies. Money is integer fen; times carry an offset. Every text is bounded: a
single-line field is a `Line` (no controls, no line breaks), anything else is at most
MAX_TEXT characters (Bounded's config), and the door (guard.py) has already refused NUL and
lone surrogates anywhere in the body."""

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
from pydantic_core import PydanticCustomError

from liveroom.core.money import MAX_FEN
from liveroom.core.text import text_problem

# Bounds follow the columns, so that PostgreSQL never sees a value it would refuse (a 500)
# and SQLite never stores one PostgreSQL would refuse.
MAX_COUNT = 2**31 - 1  # INTEGER columns: stock, quantities, limits
MAX_TEXT = 20_000  # any free text (descriptions, scripts, reasons): a long page, not a file
Fen = Annotated[int, Field(strict=True, le=MAX_FEN)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def _one_line(value: str) -> str:
    reason = text_problem(value)
    if reason is not None:
        raise PydanticCustomError("invalid_text", "text not allowed here: {reason}",
                                  {"reason": reason})
    return value


Line = AfterValidator(_one_line)
Name = Annotated[str, Field(min_length=1, max_length=200), Line]
Text = Annotated[str, Field(max_length=200), Line]
Code = Annotated[str, Field(min_length=1, max_length=32), Line]
Id = Annotated[str, Field(min_length=1, max_length=64), Line]  # ids, SKU codes, user names
Key = Annotated[str, Field(min_length=1, max_length=64), Line]  # keys of free-form maps
Merchant = Annotated[str, Field(max_length=100), Line]  # 商家; "" while nobody has said
LongText = Annotated[str, Field(max_length=MAX_TEXT)]  # multi-line: tabs and breaks allowed


def _plausible(moment: datetime) -> datetime:
    # Year 1 or 9999 parse, but overflow as soon as they are moved to UTC or added to.
    if not 2000 <= moment.year <= 2100:
        raise ValueError("a date between the years 2000 and 2100")
    return moment.astimezone(UTC)


Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]


class Bounded(BaseModel):
    """No string anywhere in the body is longer than MAX_TEXT, map keys included."""

    model_config = ConfigDict(str_max_length=MAX_TEXT)


class Body(Bounded):
    model_config = ConfigDict(extra="forbid", str_max_length=MAX_TEXT)


class SkuIn(Body):
    code: Id
    spec: Text = ""
    price_fen: Annotated[Fen, Field(gt=0)]
    cost_fen: Annotated[Fen, Field(ge=0)]
    stock: Count
    presale_stock: Count = 0
    safety_stock: Count = 0


class ProductIn(Body):
    name: Name
    category: Id
    tier: Literal["traffic", "profit", "flagship"]
    skus: Annotated[list[SkuIn], Field(min_length=1, max_length=200)]
    brand: Annotated[str, Field(max_length=100), Line] = ""
    merchant: Merchant = ""
    description: LongText = ""
    shipping_regions: Annotated[list[Text], Field(max_length=100)] = Field(
        default_factory=lambda: ["全国"])
    ship_lead_days: Annotated[int, Field(ge=0, le=365)] = 2
    restock_lead_days: Annotated[int, Field(ge=0, le=365)] = 7
    qualification_docs: Annotated[list[Text], Field(max_length=100)] = Field(
        default_factory=list)
    history: Annotated[dict[Key, Annotated[int, Field(ge=0)]], Field(max_length=400)] = Field(
        default_factory=dict)


class HistoryIn(Body):
    history: Annotated[dict[Key, Annotated[int, Field(ge=0)]], Field(max_length=400)]


class TargetsIn(BaseModel):
    model_config = ConfigDict(extra="allow", str_max_length=MAX_TEXT)
    gmv_fen: Annotated[Fen, Field(ge=0)] | None = None
    viewers: Annotated[int, Field(ge=0)] | None = None
    conversion_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    new_members: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _extra_targets_are_numbers(self) -> TargetsIn:
        # Further KPI targets are free-form, but numbers: the plan and the review compare.
        extra = self.model_extra or {}
        if len(extra) > 50:
            raise ValueError("at most 50 targets")
        for key, value in extra.items():
            if text_problem(key, max_length=64) is not None:
                raise ValueError("a target name is one line of at most 64 characters")
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
    roles: Annotated[dict[Key, Text], Field(max_length=50)] = Field(default_factory=dict)
    channel_budget: Annotated[dict[Key, Annotated[int, Field(ge=0)]],
                              Field(max_length=50)] = Field(default_factory=dict)
    max_price_drop_pct: Annotated[int, Field(ge=1, le=99)] | None = None


class LineupItemIn(Body):
    sku_id: Id
    live_price_fen: Annotated[Fen, Field(gt=0)]
    floor_price_fen: Annotated[Fen, Field(gt=0)] | None = None
    flash_quantity: Count = 0
    talking_points: Annotated[dict[Key, LongText], Field(max_length=50)] = Field(
        default_factory=dict)


class Override(Body):
    """An ops/admin override of the price guard: audited with its reason."""

    override: bool = False
    override_reason: Annotated[LongText, Field(max_length=500)] = ""


class LineupIn(Override):
    items: Annotated[list[LineupItemIn], Field(max_length=500)]


class SegmentIn(Body):
    kind: Literal["warmup", "opening", "product", "promotion", "closing"]
    start_minute: int
    duration_minutes: Annotated[int, Field(gt=0)]
    title: Text = ""
    sku_id: Id | None = None
    giveaway: bool = False
    script: LongText = ""
    contingency: LongText = ""


class SegmentsIn(Body):
    segments: Annotated[list[SegmentIn], Field(max_length=500)]


class TickIn(Body):
    ok: bool = True
    note: Annotated[LongText, Field(max_length=2000)] = ""


class PriceIn(Override):
    price_fen: Fen
    reason: Annotated[LongText, Field(max_length=500)] = ""


class ExplainIn(Body):
    sku_id: Id | None


class CouponIn(Override):
    name: Annotated[str, Field(min_length=1, max_length=100), Line]
    kind: Literal["threshold", "fixed"]
    discount_fen: Annotated[Fen, Field(gt=0)]
    threshold_fen: Annotated[Fen, Field(ge=0)] = 0
    total: Annotated[Count, Field(gt=0)]
    per_buyer_limit: Annotated[Count, Field(gt=0)] = 1
    sku_id: Id | None = None
    valid_from: Moment | None = None
    valid_until: Moment | None = None
    channel: Code | None = None
    code: Code | None = None
    issue_now: bool = False


class FlashSaleIn(Override):
    sku_id: Id
    price_fen: Annotated[Fen, Field(gt=0)]
    quantity: Annotated[Count, Field(gt=0)]
    per_buyer_limit: Annotated[Count, Field(gt=0)] = 1
    starts_at: Moment | None = None
    priority_tier: Annotated[str | None, Field(min_length=1, max_length=16)] = None
    priority_minutes: Annotated[int, Field(strict=True, ge=0, le=1440)] = 0


class LadderStepIn(Body):
    after_sold: Annotated[int, Field(ge=0)]
    price_fen: Annotated[Fen, Field(gt=0)]


class LadderIn(Override):
    sku_id: Id
    steps: Annotated[list[LadderStepIn], Field(min_length=1, max_length=100)]


class AnnouncementIn(Body):
    text: Annotated[LongText, Field(min_length=1, max_length=500)]
    pinned: bool = False


class UserIn(Body):
    name: Id
    role: Literal["admin", "host", "console", "ops", "cs", "merchant", "connector"]
    display_name: Annotated[str, Field(max_length=100), Line] = ""
