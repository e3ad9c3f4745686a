"""Products, SKUs, the three selection tiers and the selection score."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from liveroom.core.errors import Invalid


class Tier(StrEnum):
    TRAFFIC = "traffic"  # 引流款: cheap, high repurchase, opens the show
    PROFIT = "profit"  # 利润款: carries the margin
    FLAGSHIP = "flagship"  # 战略款: brand tone, limited

    @property
    def zh(self) -> str:
        return {"traffic": "引流款", "profit": "利润款", "flagship": "战略款"}[self.value]


# Categories whose goods need qualification documents (食品经营许可, 化妆品备案 …).
QUALIFIED_CATEGORIES = {
    "food": "食品", "食品": "食品", "snack": "食品", "零食": "食品", "饮料": "食品",
    "beauty": "美妆", "美妆": "美妆", "cosmetics": "美妆", "护肤": "美妆", "彩妆": "美妆",
    "health": "保健", "保健品": "保健",
}


@dataclass
class Sku:
    id: str
    product_id: str
    code: str
    spec: str
    price_fen: int
    cost_fen: int
    stock: int
    presale_stock: int = 0
    safety_stock: int = 0

    def validate(self) -> None:
        if self.price_fen <= 0:
            raise Invalid(f"SKU {self.code}: price must be positive", code="invalid_price",
                          field="price_fen")
        if self.cost_fen < 0:
            raise Invalid(f"SKU {self.code}: cost cannot be negative", code="invalid_cost",
                          field="cost_fen")
        if self.stock < 0 or self.presale_stock < 0 or self.safety_stock < 0:
            raise Invalid(f"SKU {self.code}: stock cannot be negative", code="invalid_stock",
                          field="stock")


@dataclass
class Product:
    id: str
    name: str
    category: str
    tier: Tier
    created_at: datetime
    brand: str = ""
    merchant: str = ""  # 商家: whose goods these are; "" while nobody has said
    description: str = ""
    shipping_regions: list[str] = field(default_factory=lambda: ["全国"])
    ship_lead_days: int = 2
    restock_lead_days: int = 7
    qualification_docs: list[str] = field(default_factory=list)
    history: dict[str, int] = field(default_factory=dict)
    skus: list[Sku] = field(default_factory=list)

    @property
    def needs_qualification(self) -> bool:
        return self.category.strip().lower() in QUALIFIED_CATEGORIES

    @property
    def qualified(self) -> bool:
        return not self.needs_qualification or bool(self.qualification_docs)


MERCHANT_MAX = 100


def merchant_name(text: str) -> str:
    """A merchant as the orders are split by it: trimmed, one line, at most 100 characters;
    "" says nobody has named one yet."""
    name = " ".join(text.split())
    if len(name) > MERCHANT_MAX:
        raise Invalid(f"merchant has at most {MERCHANT_MAX} characters",
                      code="invalid_merchant", field="merchant")
    return name


@dataclass(frozen=True)
class Score:
    value: float  # 0–100
    parts: dict[str, float]
    reasons: list[str]


# Handbook benchmarks: view→purchase 12 %, return rate under 5 %.
CONVERSION_BENCHMARK = 0.12
RETURN_RATE_LIMIT = 0.05

WEIGHTS: dict[Tier, dict[str, float]] = {
    Tier.TRAFFIC: {"conversion": 0.35, "repurchase": 0.3, "returns": 0.15, "margin": 0.05,
                   "supply": 0.15},
    Tier.PROFIT: {"conversion": 0.25, "repurchase": 0.1, "returns": 0.2, "margin": 0.3,
                  "supply": 0.15},
    Tier.FLAGSHIP: {"conversion": 0.2, "repurchase": 0.1, "returns": 0.3, "margin": 0.25,
                    "supply": 0.15},
}


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def selection_score(product: Product) -> Score:
    """Score a product for a show from its history; every part explains itself."""
    h = product.history
    parts: dict[str, float] = {}
    reasons: list[str] = []
    views, orders = h.get("views", 0), h.get("orders", 0)
    if views >= 100:
        conv = orders / views
        parts["conversion"] = _clamp(conv / CONVERSION_BENCHMARK * 70)
        reasons.append(f"转化率 conversion {conv:.1%} vs 基准 {CONVERSION_BENCHMARK:.0%}")
    else:
        parts["conversion"] = 50.0
        reasons.append("无足够曝光数据 no view history: conversion scored neutral "
                       "(市场测试→小场试播 test in a small show first)")
    if orders >= 20:
        rr = h.get("returns", 0) / orders
        parts["returns"] = _clamp(100 - rr / RETURN_RATE_LIMIT * 50)
        flag = "，偏高 too high" if rr > RETURN_RATE_LIMIT else ""
        reasons.append(f"退货率 return rate {rr:.1%}{flag}")
    else:
        parts["returns"] = 60.0
    buyers = h.get("buyers", 0)
    if buyers >= 20:
        rep = h.get("repeat_buyers", 0) / buyers
        parts["repurchase"] = _clamp(rep / 0.3 * 100)
        reasons.append(f"复购率 repurchase {rep:.1%}")
    else:
        parts["repurchase"] = 40.0
    margins = [(s.price_fen - s.cost_fen) / s.price_fen for s in product.skus if s.price_fen > 0]
    if margins:
        m = sum(margins) / len(margins)
        parts["margin"] = _clamp(m / 0.5 * 100)
        reasons.append(f"毛利率 margin {m:.0%}")
    else:
        parts["margin"] = 0.0
    stock = sum(s.stock for s in product.skus)
    supply = 100 - min(product.restock_lead_days, 30) * 2 - (30 if stock == 0 else 0)
    supply -= h.get("stockouts", 0) * 10
    parts["supply"] = _clamp(supply)
    if h.get("stockouts", 0):
        reasons.append(f"断货 {h['stockouts']} 次 stock-outs")
    if not product.qualified:
        reasons.append("缺少资质文件 missing qualification documents")
    weights = WEIGHTS[product.tier]
    value = sum(parts[k] * w for k, w in weights.items())
    if not product.qualified:
        value *= 0.5
    return Score(round(value, 1), {k: round(v, 1) for k, v in parts.items()}, reasons)
