"""Channel attribution (渠道归因) and ROI. Pure functions.

A viewer belongs to the channel of their first tracked touch in the session (the link or
traffic source that brought them in). An order belongs to the channel the front end stamped
on it at checkout (the visit's source), falling back to the buyer's first touch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from liveroom.metrics.live import OrderFact
from liveroom.tracking.channels import CHANNELS


def order_channel(order: OrderFact, first_channel: dict[str, str]) -> str:
    if order.channel and order.channel in CHANNELS:
        return order.channel
    return first_channel.get(order.buyer_id, "other")


def channel_table(first_channel: dict[str, str], viewers: Iterable[str],
                  orders: Iterable[OrderFact], spend_fen: dict[str, int],
                  reservations: dict[str, int] | None = None) -> dict[str, Any]:
    """Per channel: viewers, orders, paid orders, GMV, spend, ROI (GMV ÷ spend) and share."""
    per_viewers = Counter(first_channel.get(v, "other") for v in viewers)
    return channel_table_of(per_viewers, first_channel, orders, spend_fen, reservations)


def channel_table_of(per_viewers: Counter[str], first_channel: dict[str, str],
                     orders: Iterable[OrderFact], spend_fen: dict[str, int],
                     reservations: dict[str, int] | None = None) -> dict[str, Any]:
    """`channel_table` from the viewers already counted per first channel; `first_channel`
    needs only the buyers of `orders` (an order's fallback channel)."""
    orders_n: Counter[str] = Counter()
    paid_n: Counter[str] = Counter()
    gmv: Counter[str] = Counter()
    buyers: dict[str, set[str]] = {}
    for o in orders:
        ch = order_channel(o, first_channel)
        orders_n[ch] += 1
        if o.paid:
            paid_n[ch] += 1
            gmv[ch] += o.total_fen
            buyers.setdefault(ch, set()).add(o.buyer_id)
    reservations = reservations or {}
    names = set(per_viewers) | set(orders_n) | {c for c, s in spend_fen.items() if s} \
        | set(reservations)
    total_viewers = sum(per_viewers.values())
    rows: list[dict[str, Any]] = []
    for ch in names:
        info = CHANNELS.get(ch, CHANNELS["other"])
        v, s = per_viewers[ch], int(spend_fen.get(ch, 0))
        rows.append({
            "channel": ch, "group": info.group.value, "zh": info.zh, "viewers": v,
            "share": round(v / total_viewers, 4) if total_viewers else 0.0,
            "reservations": reservations.get(ch, 0), "orders": orders_n[ch],
            "paid_orders": paid_n[ch], "gmv_fen": gmv[ch], "spend_fen": s,
            "roi": round(gmv[ch] / s, 2) if s else None,
            "conversion_rate": round(len(buyers.get(ch, ())) / v, 4) if v else 0.0,
            "uv_value_fen": gmv[ch] // v if v else 0})
    rows.sort(key=lambda r: (-r["gmv_fen"], -r["viewers"], r["channel"]))
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        g = groups.setdefault(r["group"], {"viewers": 0, "gmv_fen": 0, "spend_fen": 0})
        for k in ("viewers", "gmv_fen", "spend_fen"):
            g[k] += r[k]
    for g in groups.values():
        g["share"] = round(g["viewers"] / total_viewers, 4) if total_viewers else 0.0
    total_spend = sum(r["spend_fen"] for r in rows)
    total_gmv = sum(r["gmv_fen"] for r in rows)
    return {"channels": rows, "groups": groups,
            "total": {"viewers": total_viewers, "gmv_fen": total_gmv,
                      "spend_fen": total_spend,
                      "roi": round(total_gmv / total_spend, 2) if total_spend else None}}
