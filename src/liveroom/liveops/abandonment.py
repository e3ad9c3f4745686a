"""Cart abandonment during the show (加购未下单): buyers who carted and did not order
within N minutes, and the GMV recovered from them after an intervention. Pure.

A buyer's carts *after their last order* are open (an order closes what was carted before
it). The buyer has abandoned when their oldest open cart is at least `after` old. Recovered
GMV: the paid orders of targeted buyers created after the intervention that targeted them
(each order counted once, for the earliest such intervention)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Cart:
    buyer_id: str
    sku_id: str
    at: datetime


@dataclass(frozen=True)
class OrderFact:
    order_id: str
    buyer_id: str
    created_at: datetime
    total_fen: int
    paid: bool


@dataclass(frozen=True)
class Abandoned:
    buyer_id: str
    sku_ids: tuple[str, ...]  # in the order first carted
    carted_at: datetime  # the oldest open cart
    waiting: timedelta


@dataclass(frozen=True)
class Intervention:
    at: datetime
    buyer_ids: frozenset[str]


def abandoned(carts: Iterable[Cart], orders: Iterable[OrderFact], now: datetime,
              after: timedelta = DEFAULT_AFTER) -> list[Abandoned]:
    """Buyers whose oldest open cart is at least `after` old, longest waiting first."""
    last_order: dict[str, datetime] = {}
    for o in orders:
        if o.created_at <= now and o.created_at > last_order.get(o.buyer_id, datetime.min
                                                                  .replace(tzinfo=now.tzinfo)):
            last_order[o.buyer_id] = o.created_at
    open_carts: dict[str, list[Cart]] = {}
    for c in sorted(carts, key=lambda c: c.at):
        if c.at > now:
            continue
        closed_at = last_order.get(c.buyer_id)
        if closed_at is None or c.at > closed_at:
            open_carts.setdefault(c.buyer_id, []).append(c)
    out = []
    for buyer, items in open_carts.items():
        oldest = items[0].at
        if now - oldest >= after:
            skus = tuple(dict.fromkeys(c.sku_id for c in items))
            out.append(Abandoned(buyer, skus, oldest, now - oldest))
    return sorted(out, key=lambda a: (a.carted_at, a.buyer_id))


def recovered(interventions: Sequence[Intervention],
              orders: Iterable[OrderFact]) -> tuple[int, int]:
    """(recovered GMV in fen, recovered orders): paid orders placed by a targeted buyer
    after an intervention that targeted them."""
    gmv = count = 0
    for o in orders:
        if not o.paid:
            continue
        if any(o.buyer_id in i.buyer_ids and o.created_at >= i.at for i in interventions):
            gmv += o.total_fen
            count += 1
    return gmv, count


def not_yet_targeted(found: Sequence[Abandoned],
                     interventions: Sequence[Intervention]) -> list[Abandoned]:
    """Those not answered already: a buyer targeted after their oldest open cart is left
    alone (one nudge per abandoned cart, not one per click)."""
    return [a for a in found if not any(a.buyer_id in i.buyer_ids and i.at >= a.carted_at
                                        for i in interventions)]
