"""The plan checker: warns, with reasons, where a plan breaks the handbook's rules."""

from __future__ import annotations

from dataclasses import dataclass

from liveroom.catalog.model import Product, Sku, Tier
from liveroom.planning.model import (
    MAX_MINUTES_WITHOUT_GIVEAWAY,
    MAX_PRODUCT_SEGMENT_MIN,
    OPENING_WINDOW_MIN,
    LineupItem,
    Segment,
    SegmentKind,
)


@dataclass(frozen=True)
class Warning_:
    code: str
    message: str
    sku_id: str | None = None
    minute: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "sku_id": self.sku_id,
                "minute": self.minute}


def check_plan(
    duration_minutes: int,
    segments: list[Segment],
    lineup: list[LineupItem],
    products: dict[str, Product],
    skus: dict[str, Sku],
    flash_quantities: dict[str, int] | None = None,
) -> list[Warning_]:
    """`products` and `skus` are keyed by SKU id (the product owning each SKU)."""
    out: list[Warning_] = []
    segs = sorted(segments, key=lambda s: s.start_minute)
    live = [s for s in segs if s.start_minute >= 0]
    if not lineup:
        out.append(Warning_("empty_lineup", "选品为空 the lineup has no products"))
    if not live:
        out.append(Warning_("no_run_of_show", "没有直播脚本 no run-of-show segments"))

    opening = [s for s in live if s.start_minute < OPENING_WINDOW_MIN and s.sku_id]
    if live and not any(
        s.sku_id in products and products[s.sku_id].tier == Tier.TRAFFIC for s in opening
    ):
        out.append(Warning_(
            "no_traffic_item_opening",
            f"前{OPENING_WINDOW_MIN}分钟没有引流款 no traffic item in the first "
            f"{OPENING_WINDOW_MIN} minutes (the traffic peak): open with a flash-sale item",
            minute=0,
        ))
    for s in live:
        if s.kind == SegmentKind.PRODUCT and s.duration_minutes > MAX_PRODUCT_SEGMENT_MIN:
            name = products[s.sku_id].name if s.sku_id in products else s.title
            out.append(Warning_(
                "product_segment_too_long",
                f"「{name}」讲解 {s.duration_minutes} 分钟，超过 {MAX_PRODUCT_SEGMENT_MIN} 分钟 "
                f"explanation over {MAX_PRODUCT_SEGMENT_MIN} min",
                sku_id=s.sku_id, minute=s.start_minute,
            ))
    out.extend(_giveaway_gaps(live, duration_minutes))
    out.extend(_tier_order(live, products))
    quantities = {i.sku_id: i.flash_quantity for i in lineup}
    quantities.update(flash_quantities or {})
    for item in lineup:
        sku, product = skus.get(item.sku_id), products.get(item.sku_id)
        if sku is None or product is None:
            out.append(Warning_("unknown_sku", f"未知 SKU {item.sku_id}", sku_id=item.sku_id))
            continue
        label = f"「{product.name} {sku.spec}」".replace(" 」", "」")
        if item.live_price_fen < sku.cost_fen:
            out.append(Warning_(
                "live_price_below_cost",
                f"{label}直播价 ¥{item.live_price_fen / 100:.2f} 低于成本 "
                f"¥{sku.cost_fen / 100:.2f} live price below cost",
                sku_id=sku.id,
            ))
        qty = quantities.get(sku.id, 0)
        if qty > sku.stock:
            out.append(Warning_(
                "flash_quantity_over_stock",
                f"{label}秒杀数量 {qty} 超过库存 {sku.stock} flash quantity above stock",
                sku_id=sku.id,
            ))
        if not product.qualified:
            out.append(Warning_(
                "missing_qualification",
                f"{label}属于{product.category}类，缺少资质文件 qualification documents missing",
                sku_id=sku.id,
            ))
    return out


def _giveaway_gaps(live: list[Segment], duration: int) -> list[Warning_]:
    """A price anchor or giveaway is due every 15–20 minutes of the show."""
    marks = sorted(s.start_minute for s in live if s.giveaway or s.kind == SegmentKind.PROMOTION)
    out = []
    prev = 0
    for mark in [*marks, duration]:
        if mark - prev > MAX_MINUTES_WITHOUT_GIVEAWAY:
            out.append(Warning_(
                "giveaway_gap",
                f"第 {prev}–{mark} 分钟没有福利或价格锚点 no giveaway or price anchor for "
                f"{mark - prev} minutes (max {MAX_MINUTES_WITHOUT_GIVEAWAY})",
                minute=prev,
            ))
        prev = max(prev, mark)
    return out


def _tier_order(live: list[Segment], products: dict[str, Product]) -> list[Warning_]:
    """Traffic items first, profit items mid/late: a profit item in the first tenth is odd."""
    out = []
    shown = [s for s in live if s.sku_id in products]
    if shown and products[shown[0].sku_id or ""].tier == Tier.PROFIT:
        out.append(Warning_(
            "profit_item_first",
            "第一个上场的是利润款 the first product shown is a profit item; "
            "lead with traffic items",
            sku_id=shown[0].sku_id, minute=shown[0].start_minute,
        ))
    return out
