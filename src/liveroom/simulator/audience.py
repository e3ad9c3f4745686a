"""The audience model: from a seed, the parameters and the show's plan, every viewer's
timed actions. Pure and deterministic — the driver turns actions into HTTP requests, so the
same seed gives the same audience whatever the server answers."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from liveroom.simulator.comments import comment
from liveroom.simulator.params import SimParams

LOYAL = frozenset({"followers", "community", "sms", "official_account", "wecom"})


@dataclass(frozen=True)
class Product:
    sku_id: str
    name: str
    tier: str
    list_price_fen: int
    live_price_fen: int


@dataclass(frozen=True)
class SegmentInfo:
    start_minute: int
    duration_minutes: int
    kind: str
    sku_id: str | None = None
    giveaway: bool = False

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.duration_minutes


@dataclass(frozen=True)
class FlashInfo:
    flash_id: str
    sku_id: str
    start_minute: int
    minutes: int
    price_fen: int


@dataclass(frozen=True)
class CouponInfo:
    coupon_id: str
    start_minute: int
    discount_fen: int
    threshold_fen: int = 0


@dataclass(frozen=True)
class LinkInfo:
    code: str
    channel: str
    utm: dict[str, str]
    koc: str | None = None


@dataclass(frozen=True)
class ShowPlan:
    duration_minutes: int
    products: dict[str, Product]
    segments: list[SegmentInfo]
    flash_sales: list[FlashInfo] = field(default_factory=list)
    coupons: list[CouponInfo] = field(default_factory=list)
    links: dict[str, list[LinkInfo]] = field(default_factory=dict)  # channel → links
    reservation_links: dict[str, list[LinkInfo]] = field(default_factory=dict)

    def segment_at(self, minute: float) -> SegmentInfo | None:
        for s in self.segments:
            if s.start_minute <= minute < s.end_minute:
                return s
        return None


@dataclass(frozen=True, order=True)
class Action:
    t: float  # seconds from the show's start (negative: during the warm-up)
    seq: int
    kind: str = field(compare=False)
    buyer: str = field(compare=False)
    data: dict[str, Any] = field(default_factory=dict, compare=False)


def arrival_weights(plan: ShowPlan, p: SimParams) -> list[float]:
    """Relative arrival intensity per minute of the show."""
    flash_minutes = {f.start_minute for f in plan.flash_sales}
    out = []
    for m in range(plan.duration_minutes):
        w = 1.0
        if m < 5:  # the opening peak, fading over the first five minutes
            w *= 1 + (p.opening_peak - 1) * (1 - m / 5)
        seg = plan.segment_at(m)
        if seg is not None:
            if seg.kind == "product" and m - seg.start_minute >= p.long_segment_minutes:
                w *= p.long_segment_dip
            if seg.kind == "closing":
                w *= p.closing_factor
            if seg.giveaway and m - seg.start_minute < 3:
                w *= p.giveaway_boost
        if any(0 <= m - f < 2 for f in flash_minutes) and m >= 5:
            w *= p.giveaway_boost
        out.append(w)
    return out


def price_factor(product: Product, p: SimParams) -> float:
    """Deeper discounts sell better; normalised so a 20% discount is 1.0."""
    ratio = product.list_price_fen / max(1, product.live_price_fen)
    return min(2.5, (ratio / 1.25) ** p.price_elasticity)


class _Builder:
    def __init__(self, plan: ShowPlan, p: SimParams, seed: int) -> None:
        self.plan, self.p, self.rng = plan, p, random.Random(seed)
        self.actions: list[Action] = []
        self.seq = 0
        self.prefix = f"u{seed % 10_000:04d}"

    def add(self, t: float, kind: str, buyer: str, **data: Any) -> None:
        self.seq += 1
        self.actions.append(Action(round(t, 3), self.seq, kind, buyer, data))

    def build(self) -> list[Action]:
        p, rng, end = self.p, self.rng, self.plan.duration_minutes * 60.0
        weights = arrival_weights(self.plan, p)
        channels = sorted(p.channel_mix)
        mix = [p.channel_mix[c] for c in channels]
        for i in range(p.viewers):
            buyer = f"{self.prefix}-{i:05d}"
            channel = rng.choices(channels, weights=mix)[0]
            reserved = rng.random() < p.reservation_rate
            link = self._link(self.plan.links, channel)
            if reserved:
                self._reserve(buyer, channel)
                minute = min(rng.expovariate(1 / 4.0), self.plan.duration_minutes - 1)
                arrive = minute * 60
            else:
                arrive = rng.choices(range(len(weights)), weights=weights)[0] * 60 \
                    + rng.random() * 60
            self._viewer(buyer, channel, link, arrive, end)
        no_shows = int(p.viewers * p.reservation_rate * p.reservation_no_show
                       / max(1e-9, 1 - p.reservation_no_show))
        for j in range(no_shows):
            self._reserve(f"{self.prefix}-r{j:05d}", rng.choices(channels, weights=mix)[0])
        lookers = int(p.viewers * (1 / p.enter_rate - 1))
        for k in range(lookers):  # saw the room in a feed but did not come in
            m = rng.choices(range(len(weights)), weights=weights)[0]
            self.add(m * 60 + rng.random() * 60, "impression", f"{self.prefix}-i{k:05d}",
                     channel=rng.choices(channels, weights=mix)[0])
        self.actions.sort()
        return self.actions

    def _link(self, links: dict[str, list[LinkInfo]], channel: str) -> LinkInfo | None:
        options = links.get(channel, [])
        return self.rng.choice(options) if options else None

    def _reserve(self, buyer: str, channel: str) -> None:
        # The reservation curve rises towards the show: more sign-ups on the last day.
        t = -self.p.warmup_days * 86400 * self.rng.random() ** 2.5 - 300
        link = self._link(self.plan.reservation_links, channel)
        self.add(t, "reserve", buyer, channel=channel, link=link)

    def _viewer(self, buyer: str, channel: str, link: LinkInfo | None, arrive: float,
                end: float) -> None:
        p, rng = self.p, self.rng
        median = p.median_dwell_seconds * (1.6 if channel in LOYAL else 1.0)
        dwell = min(rng.lognormvariate(math.log(median), p.dwell_sigma), end - arrive - 1)
        dwell = max(5.0, dwell)
        leave = arrive + dwell
        ctx = {"channel": channel, "link": link}
        self.add(arrive - 2, "impression", buyer, **ctx)
        self.add(arrive, "enter", buyer, **ctx)
        self.add(leave, "leave", buyer, dwell=round(dwell, 1))
        self._shopping(buyer, channel, arrive, leave)
        self._flash(buyer, channel, arrive, leave)
        self._engagement(buyer, arrive, leave)

    def _shopping(self, buyer: str, channel: str, arrive: float, leave: float) -> None:
        p, rng = self.p, self.rng
        for seg in self.plan.segments:
            if seg.sku_id is None or seg.sku_id not in self.plan.products:
                continue
            s0, s1 = seg.start_minute * 60.0, seg.end_minute * 60.0
            lo, hi = max(arrive, s0), min(leave, s1)
            if lo >= hi or rng.random() >= p.product_impression_rate:
                continue
            product = self.plan.products[seg.sku_id]
            t = lo + rng.random() * min(20.0, hi - lo)
            self.add(t, "product_impression", buyer, sku=product.sku_id)
            if rng.random() >= p.click_rate:
                continue
            t += 3 + rng.random() * 20
            self.add(t, "product_click", buyer, sku=product.sku_id)
            if rng.random() >= p.cart_rate:
                continue
            t += 5 + rng.random() * 25
            self.add(t, "add_to_cart", buyer, sku=product.sku_id)
            coupon = self._coupon_at(t, product.live_price_fen)
            chance = p.order_rate * price_factor(product, p) * p.tier_factor.get(
                product.tier, 1.0) * (p.coupon_boost if coupon else 1.0)
            if rng.random() < min(0.95, chance):
                self.add(t + 5 + rng.random() * 30, "buy", buyer, sku=product.sku_id,
                         channel=channel, coupon=coupon, **self._payment())

    def _coupon_at(self, t: float, price_fen: int) -> str | None:
        live = [c for c in self.plan.coupons
                if c.start_minute * 60 <= t and c.threshold_fen <= price_fen]
        if not live or self.rng.random() >= self.p.coupon_claim_rate:
            return None
        return live[-1].coupon_id

    def _payment(self) -> dict[str, bool]:
        fails = self.rng.random() < self.p.payment_failure_rate
        return {"fail_first": fails, "retry_ok": self.rng.random() < self.p.payment_retry_success}

    def _flash(self, buyer: str, channel: str, arrive: float, leave: float) -> None:
        for f in self.plan.flash_sales:
            start = f.start_minute * 60.0
            if arrive <= start <= leave and self.rng.random() < self.p.flash_rush_rate:
                t = start + 0.2 + self.rng.expovariate(1 / self.p.flash_rush_seconds)
                self.add(t, "flash", buyer, flash_id=f.flash_id, sku=f.sku_id,
                         channel=channel, **self._payment())

    def _engagement(self, buyer: str, arrive: float, leave: float) -> None:
        p, rng = self.p, self.rng
        span = leave - arrive

        def at() -> float:
            return arrive + rng.random() * span

        if rng.random() < p.comment_rate:
            for _ in range(1 + int(rng.expovariate(1.0))):
                t = at()
                seg = self.plan.segment_at(t / 60)
                flash = any(0 <= t - f.start_minute * 60 < 120 for f in self.plan.flash_sales)
                context = "flash" if flash else (seg.kind if seg else "product")
                name = self.plan.products[seg.sku_id].name if seg and seg.sku_id in \
                    self.plan.products else ""
                intent, text = comment(rng, context, name)
                self.add(t, "comment", buyer, intent=intent, text=text)
        if rng.random() < p.like_rate:
            self.add(at(), "like", buyer, count=1 + int(rng.expovariate(1 / 12)))
        for kind, rate in (("share", p.share_rate), ("follow", p.follow_rate),
                           ("join_fan_group", p.fan_group_rate)):
            if rng.random() < rate:
                self.add(at(), kind, buyer)


def plan_audience(plan: ShowPlan, params: SimParams, seed: int) -> list[Action]:
    """Every simulated action of the show, sorted by time."""
    return _Builder(plan, params, seed).build()


def per_minute(actions: list[Action], kind: str, duration_minutes: int) -> list[int]:
    """How many actions of a kind fall in each minute of the show (for shape checks)."""
    counts = [0] * duration_minutes
    for a in actions:
        if a.kind == kind and 0 <= a.t < duration_minutes * 60:
            counts[int(a.t // 60)] += 1
    return counts
