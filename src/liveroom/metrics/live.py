"""Live metrics (实时监控) as a pure fold over tracking events plus the session's orders.

`LiveAggregator.apply` takes events one at a time (in any batch size, so a reader can feed
it only what is new); `snapshot` combines that state with order facts. Money comes from
orders, the one source the numbers must agree with; behaviour comes from events."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from liveroom.tracking.model import SERVER_SOURCE, EventType, TrackingEvent

E = EventType
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FUNNEL_STAGES = ("impressions", "enters", "product_impressions", "clicks", "carts",
                 "orders", "paid")
EVENT_STAGES = FUNNEL_STAGES[:5]  # the stages tracking events reach; orders come from orders
# Event types that move a buyer down the funnel, by the index of the stage they reach.
_STAGE_RANK = {E.ROOM_IMPRESSION: 0, E.ENTER: 1, E.PRODUCT_IMPRESSION: 2, E.PRODUCT_CLICK: 3,
               E.ADD_TO_CART: 4}
_COUNTED = {E.COMMENT: "comments", E.SHARE: "shares", E.FOLLOW: "follows",
            E.JOIN_FAN_GROUP: "fan_group_joins", E.RESERVATION: "reservations",
            E.COUPON_CLAIM: "coupon_claims", E.PAY: "pay_events",
            E.ORDER: "order_events"}
SKU_STAGES = (E.PRODUCT_IMPRESSION, E.PRODUCT_CLICK, E.ADD_TO_CART)


@dataclass(frozen=True)
class OrderFact:
    order_id: str
    buyer_id: str
    status: str  # reserved | paid | expired | cancelled | refunded
    total_fen: int
    created_at: datetime
    paid_at: datetime | None = None
    items: tuple[tuple[str, int, int], ...] = ()  # (sku_id, quantity, unit_price_fen)
    channel: str | None = None

    @property
    def paid(self) -> bool:
        return self.status in ("paid", "refunded") and self.paid_at is not None


def minute_of(ts: datetime) -> datetime:
    return ts.replace(second=0, microsecond=0)


def epoch_us(ts: datetime) -> int:
    return (ts - _EPOCH) // timedelta(microseconds=1)


def event_num(e: TrackingEvent) -> float | None:
    """The number an event carries for the metrics (the log's `num`): the dwell a leave
    reports, the taps a like batches; None otherwise or when absent."""
    if e.type == E.LEAVE:
        value = e.props.get("dwell_seconds")
    elif e.type == E.LIKE:
        value = e.props.get("count")
    else:
        return None
    return None if value is None else float(value)


def counts_failure(e: TrackingEvent) -> bool:
    """A client-reported payment failure is counted only when it names no order: a failure
    on one of our orders is a server fact, recorded by the server itself (docs/metrics.md)."""
    return e.props.get("source") == SERVER_SOURCE or "order_id" not in e.props


@dataclass
class LiveAggregator:
    """The state every metric is computed from. `apply` folds events one at a time (the
    live path); metrics.batch builds the same state from a whole log with Polars."""

    present: dict[str, datetime] = field(default_factory=dict)  # buyer → entered at
    present_us: int = 0  # Σ of `present`'s entry times, epoch µs: a tick never walks them
    # buyer → index in FUNNEL_STAGES of the furthest event stage reached, and how many
    # buyers reached each stage (or a later one)
    reach: dict[str, int] = field(default_factory=dict)
    stage_counts: list[int] = field(default_factory=lambda: [0] * len(EVENT_STAGES))
    counts: Counter[str] = field(default_factory=Counter)
    enters: int = 0
    dwell_seconds: float = 0.0
    dwell_visits: int = 0
    first_channel: dict[str, str] = field(default_factory=dict)
    # the same per product: sku → buyer → index in SKU_STAGES, and sku → counts
    sku_reach: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    sku_counts: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * len(SKU_STAGES)))
    online_at: dict[datetime, int] = field(default_factory=dict)  # minute → online at its end
    enters_at: Counter[datetime] = field(default_factory=Counter)
    failures_at: Counter[datetime] = field(default_factory=Counter)
    peak_online: int = 0
    last_ts: datetime | None = None
    seen: int = 0

    def apply(self, events: Iterable[TrackingEvent]) -> None:
        for e in events:
            self.fold(e.type, e.buyer_id, e.ts, e.channel, e.sku_id, event_num(e),
                      e.type == E.PAYMENT_FAILURE and counts_failure(e))

    def fold(self, etype: str, buyer: str, ts: datetime, channel: str, sku_id: str | None,
             num: float | None, counted: bool) -> None:
        """One event, as the log stores it (metrics.batch.LOG_SCHEMA): `num` is
        props.dwell_seconds of a leave or props.count of a like, `counted` whether a
        payment failure counts (counts_failure). The only place the rules are written for
        the live path; the batch engines mirror them."""
        self.seen += 1
        if self.last_ts is None or ts > self.last_ts:
            self.last_ts = ts
        if channel and buyer not in self.first_channel:
            self.first_channel[buyer] = channel
        rank = _STAGE_RANK.get(etype)  # type: ignore[call-overload]
        if rank is not None:  # reaching a stage means having passed the ones before it
            _reach(self.reach, self.stage_counts, buyer, rank)
        if etype == E.ENTER:
            self.enters += 1
            self.enters_at[minute_of(ts)] += 1
            if buyer not in self.present:
                self.present[buyer] = ts
                self.present_us += epoch_us(ts)
        elif etype == E.LEAVE:
            entered = self.present.pop(buyer, None)
            if entered is not None:
                self.present_us -= epoch_us(entered)
            dwell = num
            if dwell is None and entered is not None:
                dwell = (ts - entered).total_seconds()
            if dwell is not None:
                self.dwell_seconds += max(0.0, float(dwell))
                self.dwell_visits += 1
        elif etype == E.LIKE:
            self.counts["likes"] += int(1 if num is None else num)
        elif etype == E.PAYMENT_FAILURE:
            if counted:
                self.counts["payment_failures"] += 1
                self.failures_at[minute_of(ts)] += 1
        elif etype in _COUNTED:
            self.counts[_COUNTED[etype]] += 1  # type: ignore[index]
        if sku_id and etype in SKU_STAGES:
            _reach(self.sku_reach[sku_id], self.sku_counts[sku_id], buyer,
                   SKU_STAGES.index(etype))  # type: ignore[arg-type]
        online = len(self.present)
        self.peak_online = max(self.peak_online, online)
        self.online_at[minute_of(ts)] = online

    def snapshot(self, orders: Iterable[OrderFact], now: datetime,
                 names: dict[str, str] | None = None,
                 since: datetime | None = None, server_comments: int = 0) -> dict[str, Any]:
        """The metrics now, each computed as docs/metrics.md defines it; the per-minute
        timeline starts at `since` (the show's start) so that warm-up events days earlier
        do not stretch it. The cost depends on viewers and orders, not on the log."""
        orders = list(orders)
        paid = [o for o in orders if o.paid]
        gmv = sum(o.total_fen for o in paid)
        refunded = sum(o.total_fen for o in paid if o.status == "refunded")
        buyers = {o.buyer_id for o in paid}
        ordered = {o.buyer_id for o in orders}
        funnel = dict(zip(EVENT_STAGES, _closed(self.reach, self.stage_counts, ordered),
                          strict=True))
        funnel["orders"] = len(ordered)
        funnel["paid"] = len(buyers)
        viewers = funnel["enters"]
        online, ongoing = self._presence(now)
        visits = self.dwell_visits + online
        failures = self.counts["payment_failures"]
        attempts = len(paid) + failures
        return {
            "online": online, "peak_online": self.peak_online,
            "unique_viewers": viewers, "views": self.enters, "gmv_fen": gmv,
            "refunded_fen": refunded, "gmv_net_fen": gmv - refunded,
            "orders": len(orders), "paid_orders": len(paid), "paying_buyers": len(buyers),
            "conversion_rate": round(len(buyers) / viewers, 4) if viewers else 0.0,
            "gpm_fen": gmv * 1000 // self.enters if self.enters else 0,
            "uv_value_fen": gmv // viewers if viewers else 0,
            "aov_fen": gmv // len(paid) if paid else 0,
            "avg_dwell_seconds": round((self.dwell_seconds + ongoing) / visits, 1)
            if visits else 0.0,
            "comments": max(self.counts["comments"], server_comments),
            "likes": self.counts["likes"],
            "shares": self.counts["shares"], "follows": self.counts["follows"],
            "fan_group_joins": self.counts["fan_group_joins"],
            "coupon_claims": self.counts["coupon_claims"],
            "payment_failures": failures,
            "payment_success_rate": round(len(paid) / attempts, 4) if attempts else 1.0,
            "funnel": funnel,
            "per_product": self._per_product(orders, names or {}),
            "timeline": self._timeline(paid, orders, since),
            "events": self.seen,
        }

    def _presence(self, now: datetime) -> tuple[int, float]:
        """Viewers in the room now, and the seconds they have spent in it so far: from the
        sum of their entry times, unless an event is stamped after `now` (then one viewer
        at a time, an entry after `now` counting 0)."""
        now_us, present = epoch_us(now), len(self.present)
        if self.last_ts is None or self.last_ts <= now:
            return present, (present * now_us - self.present_us) / 1e6
        return present, sum(max(0, now_us - epoch_us(t))
                            for t in self.present.values()) / 1e6

    def _per_product(self, orders: list[OrderFact], names: dict[str, str],
                     ) -> list[dict[str, Any]]:
        """Per SKU, every stage in distinct buyers (closed like the funnel: a buyer who
        ordered a product counts as having carted and clicked it), plus order counts."""
        ordered: dict[str, set[str]] = defaultdict(set)
        paid: dict[str, set[str]] = defaultdict(set)
        money: dict[str, Counter[str]] = defaultdict(Counter)
        for o in orders:
            for sku, qty, unit in o.items:
                ordered[sku].add(o.buyer_id)
                money[sku]["order_count"] += 1
                if o.paid:
                    paid[sku].add(o.buyer_id)
                    money[sku]["paid_units"] += qty
                    money[sku]["gmv_fen"] += qty * unit
        out: list[dict[str, Any]] = []
        for sku in set(self.sku_reach) | set(ordered):
            imp, clicks, carts = _closed(self.sku_reach.get(sku, {}),
                                         self.sku_counts.get(sku, [0, 0, 0]), ordered[sku])
            m, n_orders = money[sku], len(ordered[sku])
            out.append({"sku_id": sku, "name": names.get(sku, sku), "impressions": imp,
                        "clicks": clicks, "carts": carts, "orders": n_orders,
                        "paid": len(paid[sku]), "order_count": m["order_count"],
                        "paid_units": m["paid_units"], "gmv_fen": m["gmv_fen"],
                        "click_rate": round(clicks / imp, 4) if imp else 0.0,
                        "cart_rate": round(carts / clicks, 4) if clicks else 0.0,
                        "order_rate": round(n_orders / clicks, 4) if clicks else 0.0})
        out.sort(key=lambda p: (-p["gmv_fen"], -p["clicks"], p["sku_id"]))
        return out

    def _timeline(self, paid: list[OrderFact], orders: list[OrderFact],
                  since: datetime | None) -> list[dict[str, Any]]:
        gmv_at: Counter[datetime] = Counter()
        paid_at: Counter[datetime] = Counter()
        orders_at: Counter[datetime] = Counter()
        lapsed_at: Counter[datetime] = Counter()  # carts never paid: expired or cancelled
        for o in paid:
            assert o.paid_at is not None
            gmv_at[minute_of(o.paid_at)] += o.total_fen
            paid_at[minute_of(o.paid_at)] += 1
        for o in orders:
            orders_at[minute_of(o.created_at)] += 1
            if o.status in ("expired", "cancelled"):
                lapsed_at[minute_of(o.created_at)] += 1
        minutes = set(self.online_at) | set(gmv_at) | set(orders_at)
        start = minute_of(since) if since else None
        if start is not None:
            minutes = {m for m in minutes if m >= start}
        if not minutes:
            return []
        t, end = min(minutes), max(minutes)
        before = [m for m in self.online_at if m < t]
        online = self.online_at[max(before)] if before else 0
        out = []
        while t <= end:  # carry online forward through quiet minutes
            online = self.online_at.get(t, online)
            out.append({"minute": t.isoformat(), "online": online,
                        "enters": self.enters_at[t], "orders": orders_at[t],
                        "paid_orders": paid_at[t], "gmv_fen": gmv_at[t],
                        "payment_failures": self.failures_at[t],
                        "lapsed_orders": lapsed_at[t]})
            t += timedelta(minutes=1)
        return out


def _reach(reach: dict[str, int], counts: list[int], buyer: str, rank: int) -> None:
    before = reach.get(buyer, -1)
    if rank > before:
        reach[buyer] = rank
        for k in range(before + 1, rank + 1):
            counts[k] += 1


def _closed(reach: dict[str, int], counts: list[int], later: set[str]) -> list[int]:
    """Buyers per stage when those in `later` (who ordered) count as having reached every
    stage: cost O(len(later)), not O(buyers)."""
    out = list(counts)
    for buyer in later:
        for k in range(reach.get(buyer, -1) + 1, len(out)):
            out[k] += 1
    return out



def viewers(agg: LiveAggregator) -> set[str]:
    """Buyers who entered (or went further) by their events."""
    return {b for b, r in agg.reach.items() if r >= 1}
