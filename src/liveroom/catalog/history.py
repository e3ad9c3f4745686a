"""A product's selling history as observed in our own shows: views, orders, returns,
buyers and repeat buyers. It feeds the selection score, so that a product whose returns
climb after a show scores lower for the next one (the handbook's feedback loop)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SOLD = ("paid", "refunded")
COUNTS = ("views", "orders", "returns", "buyers", "repeat_buyers")


@dataclass(frozen=True)
class OrderLine:
    order_id: str
    buyer_id: str
    status: str
    sku_id: str


def observed(lines: Iterable[OrderLine], impressions: dict[str, int],
             owner: dict[str, str]) -> dict[str, dict[str, int]]:
    """Per product id: counts over every show it was sold in."""
    orders: dict[str, set[str]] = defaultdict(set)
    returns: dict[str, set[str]] = defaultdict(set)
    bought: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for line in lines:
        pid = owner.get(line.sku_id)
        if pid is None or line.status not in SOLD:
            continue
        orders[pid].add(line.order_id)
        bought[pid][line.buyer_id].add(line.order_id)
        if line.status == "refunded":
            returns[pid].add(line.order_id)
    views: dict[str, int] = defaultdict(int)
    for sku, n in impressions.items():
        if sku in owner:
            views[owner[sku]] += n
    out = {}
    for pid in set(owner.values()):
        buyers = bought.get(pid, {})
        out[pid] = {"views": views.get(pid, 0), "orders": len(orders.get(pid, ())),
                    "returns": len(returns.get(pid, ())), "buyers": len(buyers),
                    "repeat_buyers": sum(1 for o in buyers.values() if len(o) > 1)}
    return out


def combined(baseline: dict[str, int], seen: dict[str, int] | None) -> dict[str, int]:
    """Imported history (from the platform, before liveroom) plus what we observed."""
    out = dict(baseline)
    for k, v in (seen or {}).items():
        out[k] = out.get(k, 0) + v
    return out


@dataclass(frozen=True)
class SoldLine:
    """One SKU line of a sold order, for the trial-show view."""

    session_id: str
    order_id: str
    sku_id: str
    quantity: int
    amount_fen: int
    returned: bool


def per_show(lines: Iterable[SoldLine], owner: dict[str, str]
             ) -> dict[tuple[str, str], dict[str, int]]:
    """(product id, session id) → orders, units, amount and returned orders in that show:
    how a product did when it was tried (市场测试 → 小场试播 → 反馈)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        pid = owner.get(line.sku_id)
        if pid is None:
            continue
        row = out.setdefault((pid, line.session_id), {
            "orders": set(), "returned": set(), "units": 0, "amount_fen": 0})
        row["orders"].add(line.order_id)
        if line.returned:
            row["returned"].add(line.order_id)
        row["units"] += line.quantity
        row["amount_fen"] += line.amount_fen
    return {k: {"orders": len(v["orders"]), "returns": len(v["returned"]),
                "units": v["units"], "amount_fen": v["amount_fen"]} for k, v in out.items()}
