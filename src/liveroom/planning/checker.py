"""The plan checker: warns, with reasons, where a plan breaks the handbook's rules.

Each warning has a stable `code`, the numbers and names it is about in `params` (a page
words it from those, in the reader's language), a bilingual `message` for the API, and the
segment or SKU it concerns so that a page can show it next to that row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from liveroom.catalog.model import Product, Sku, Tier
from liveroom.planning.model import (
    CONTINGENCY_KINDS,
    LOOP_STEPS,
    MAX_MINUTES_WITHOUT_GIVEAWAY,
    MAX_PRODUCT_SEGMENT_MIN,
    OPENING_WINDOW_MIN,
    LineupItem,
    Segment,
    SegmentKind,
    in_peak_slot,
    loop_steps,
)


@dataclass(frozen=True)
class Warning_:
    code: str
    message: str
    sku_id: str | None = None
    minute: int | None = None
    segment_id: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "sku_id": self.sku_id,
                "minute": self.minute, "segment_id": self.segment_id, "params": self.params}


def check_plan(
    duration_minutes: int,
    segments: list[Segment],
    lineup: list[LineupItem],
    products: dict[str, Product],
    skus: dict[str, Sku],
    flash_quantities: dict[str, int] | None = None,
    *,
    local_start: datetime | None = None,
    contingency: dict[str, str] | None = None,
) -> list[Warning_]:
    """`products` and `skus` are keyed by SKU id (the product owning each SKU).
    `local_start` (the slot in the show's time zone) enables the time-slot advice and
    `contingency` (scripts per kind) the check that every kind of trouble has one."""
    out: list[Warning_] = []
    segs = sorted(segments, key=lambda s: s.start_minute)
    live = [s for s in segs if s.start_minute >= 0]
    if local_start is not None and not in_peak_slot(local_start):
        out.append(Warning_(
            "slot_off_peak", f"开播时间 {local_start:%H:%M} 不在流量高峰（12–14 点、18–22 点）"
            " the slot is outside the traffic peaks", params={"time": f"{local_start:%H:%M}"}))
    if not lineup:
        out.append(Warning_("empty_lineup", "选品为空 the lineup has no products"))
    if not live:
        out.append(Warning_("no_run_of_show", "没有直播脚本 no run-of-show segments"))
    out.extend(_opening(live, products))
    for s in live:
        if s.kind != SegmentKind.PRODUCT:
            continue
        name = products[s.sku_id].name if s.sku_id in products else s.title
        if s.duration_minutes > MAX_PRODUCT_SEGMENT_MIN:
            out.append(Warning_(
                "product_segment_too_long",
                f"「{name}」讲解 {s.duration_minutes} 分钟，超过 {MAX_PRODUCT_SEGMENT_MIN} 分钟 "
                f"explanation over {MAX_PRODUCT_SEGMENT_MIN} min",
                sku_id=s.sku_id, minute=s.start_minute, segment_id=s.id,
                params={"name": name, "minutes": s.duration_minutes,
                        "max": MAX_PRODUCT_SEGMENT_MIN}))
        missing = [step for step in LOOP_STEPS if step not in loop_steps(s.script)]
        if missing:
            out.append(Warning_(
                "loop_incomplete",
                f"「{name}」缺少{'、'.join(LOOP_STEPS[m] for m in missing)} "
                "the 讲解→互动→逼单 loop is incomplete",
                sku_id=s.sku_id, minute=s.start_minute, segment_id=s.id,
                params={"name": name, "missing": missing}))
    out.extend(_giveaway_gaps(live, duration_minutes))
    out.extend(_tier_order(live, products))
    if contingency is not None:
        absent = [k for k in CONTINGENCY_KINDS if not contingency.get(k, "").strip()]
        if absent:
            out.append(Warning_(
                "contingency_missing",
                f"缺少应急预案：{'、'.join(CONTINGENCY_KINDS[k] for k in absent)} "
                "contingency scripts missing", params={"kinds": absent}))
    out.extend(_lineup(lineup, products, skus, flash_quantities or {}))
    return out


def _opening(live: list[Segment], products: dict[str, Product]) -> list[Warning_]:
    """Open with a traffic item (the traffic peak); keep flagships out of the first minutes."""
    out = []
    opening = [s for s in live if s.start_minute < OPENING_WINDOW_MIN and s.sku_id]
    if live and not any(
        s.sku_id in products and products[s.sku_id].tier == Tier.TRAFFIC for s in opening
    ):
        out.append(Warning_(
            "no_traffic_item_opening",
            f"前{OPENING_WINDOW_MIN}分钟没有引流款 no traffic item in the first "
            f"{OPENING_WINDOW_MIN} minutes (the traffic peak): open with a flash-sale item",
            minute=0, segment_id=live[0].id, params={"minutes": OPENING_WINDOW_MIN}))
    for s in opening:
        if s.sku_id in products and products[s.sku_id].tier == Tier.FLAGSHIP:
            out.append(Warning_(
                "flagship_too_early",
                f"战略款「{products[s.sku_id].name}」在前{OPENING_WINDOW_MIN}分钟上场 "
                "a flagship item in the opening minutes",
                sku_id=s.sku_id, minute=s.start_minute, segment_id=s.id,
                params={"name": products[s.sku_id].name, "minutes": OPENING_WINDOW_MIN}))
    return out


def _giveaway_gaps(live: list[Segment], duration: int) -> list[Warning_]:
    """A price anchor or giveaway is due every 15–20 minutes of the show."""
    marks = sorted(s.start_minute for s in live if s.giveaway or s.kind == SegmentKind.PROMOTION)
    out = []
    prev = 0
    for mark in [*marks, duration]:
        if mark - prev > MAX_MINUTES_WITHOUT_GIVEAWAY:
            during = next((s for s in live if s.end_minute > prev and s.start_minute < mark),
                          None)
            out.append(Warning_(
                "giveaway_gap",
                f"第 {prev}–{mark} 分钟没有福利或价格锚点 no giveaway or price anchor for "
                f"{mark - prev} minutes (max {MAX_MINUTES_WITHOUT_GIVEAWAY})",
                minute=prev, segment_id=during.id if during else None,
                params={"start": prev, "end": mark, "minutes": mark - prev,
                        "max": MAX_MINUTES_WITHOUT_GIVEAWAY}))
        prev = max(prev, mark)
    return out


def _tier_order(live: list[Segment], products: dict[str, Product]) -> list[Warning_]:
    """Traffic items first, profit items mid/late: a profit item leading the show is odd."""
    out = []
    shown = [s for s in live if s.sku_id in products]
    if shown and products[shown[0].sku_id or ""].tier == Tier.PROFIT:
        out.append(Warning_(
            "profit_item_first",
            "第一个上场的是利润款 the first product shown is a profit item; "
            "lead with traffic items",
            sku_id=shown[0].sku_id, minute=shown[0].start_minute, segment_id=shown[0].id,
            params={"name": products[shown[0].sku_id or ""].name}))
    return out


def _lineup(lineup: list[LineupItem], products: dict[str, Product], skus: dict[str, Sku],
            flash_quantities: dict[str, int]) -> list[Warning_]:
    out: list[Warning_] = []
    quantities = {i.sku_id: i.flash_quantity for i in lineup}
    quantities.update(flash_quantities)
    for item in lineup:
        sku, product = skus.get(item.sku_id), products.get(item.sku_id)
        if sku is None or product is None:
            out.append(Warning_("unknown_sku", f"未知 SKU {item.sku_id}", sku_id=item.sku_id))
            continue
        name = f"{product.name} {sku.spec}".strip()
        label = f"「{name}」"
        if item.live_price_fen < sku.cost_fen:
            out.append(Warning_(
                "live_price_below_cost",
                f"{label}直播价 ¥{item.live_price_fen / 100:.2f} 低于成本 "
                f"¥{sku.cost_fen / 100:.2f} live price below cost",
                sku_id=sku.id, params={"name": name, "price_fen": item.live_price_fen,
                                       "cost_fen": sku.cost_fen}))
        qty = quantities.get(sku.id, 0)
        if qty > sku.stock:
            out.append(Warning_(
                "flash_quantity_over_stock",
                f"{label}秒杀数量 {qty} 超过库存 {sku.stock} flash quantity above stock",
                sku_id=sku.id, params={"name": name, "quantity": qty, "stock": sku.stock}))
        if not product.qualified:
            out.append(Warning_(
                "missing_qualification",
                f"{label}属于{product.category}类，缺少资质文件 qualification documents missing",
                sku_id=sku.id, params={"name": name, "category": product.category}))
    return out
