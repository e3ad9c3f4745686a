"""Running the price guard (console/pricing.py) from the handlers: load every price a SKU
has in a show, refuse what breaks a rule, and let ops/admin override it with a reason.

An override is audited (`console.price_override`, with the reason) and remembered on the
lineup item as the lowest unit price it accepted (`override_floor_fen`): re-checks at
go-live, at listing, at a flash sale's start and at the order's last check accept anything
at or above it, and refuse anything lower."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_crm import member_prices
from liveroom.adapters.sql.schema_orders import oversell_remedies
from liveroom.catalog.model import Sku
from liveroom.console.pricing import (
    CouponRule,
    Offer,
    PriceContext,
    PriceRejected,
    PriceVerdict,
    PriceViolation,
    lowest_price,
)
from liveroom.core.bus import Context
from liveroom.core.errors import Forbidden, Invalid
from liveroom.core.money import fmt_fen
from liveroom.planning.model import LineupItem, LiveSession


@dataclass
class SkuPrices:
    """Everything that prices one SKU in one show. Commands add or replace the offer or
    coupon they are about to create before asking for the verdict."""

    session: LiveSession
    item: LineupItem
    sku: Sku
    product_name: str
    offers: list[Offer]
    coupons: list[CouponRule]

    def context(self) -> PriceContext:
        return PriceContext(self.sku.price_fen, self.sku.cost_fen, self.item.planned_price_fen,
                            self.item.floor_price_fen, self.session.max_price_drop_pct)

    def verdict(self) -> PriceVerdict:
        return lowest_price(self.sku.id, self.context(), self.offers, self.coupons)

    def with_live_price(self, price_fen: int) -> SkuPrices:
        self.offers = [Offer("live", price_fen), *(o for o in self.offers if o.source != "live")]
        return self

    def describe(self, v: PriceViolation) -> dict[str, Any]:
        return {**v.to_dict(), "sku_id": self.sku.id, "sku_code": self.sku.code,
                "spec": self.sku.spec, "product_name": self.product_name,
                "cost_fen": self.sku.cost_fen}


def load(uow: Any, session: LiveSession, item: LineupItem) -> SkuPrices:
    sku = uow.catalog.sku(item.sku_id)
    product = uow.catalog.get(sku.product_id)
    fs, lad, c = t.flash_sales.c, t.price_ladders.c, t.coupons.c
    offers = [Offer("live", item.live_price_fen)]
    offers += [Offer("flash", r.price_fen, coupons_apply=False, ref=r.id)
               for r in uow.execute(select(fs.id, fs.price_fen).where(
                   fs.session_id == session.id, fs.sku_id == sku.id, fs.status != "closed"))]
    for r in uow.execute(select(lad.id, lad.steps, lad.next_step).where(
            lad.session_id == session.id, lad.sku_id == sku.id)):
        offers += [Offer("ladder", int(s["price_fen"]), ref=r.id)
                   for s in r.steps[r.next_step:]]
    # A member-only price is charged in place of the live price, so coupons apply to it.
    mp = member_prices.c
    offers += [Offer("member", r.price_fen, ref=r.tier)
               for r in uow.execute(select(mp.tier, mp.price_fen).where(
                   mp.session_id == session.id, mp.sku_id == sku.id).order_by(mp.tier))]
    # An oversell compensation coupon is one buyer's remedy, audited when it was given:
    # not a price offered to viewers.
    remedies = select(oversell_remedies.c.coupon_id).where(
        oversell_remedies.c.coupon_id.is_not(None))
    coupons = [CouponRule(r.id, r.discount_fen, r.threshold_fen, r.sku_id)
               for r in uow.execute(select(c.id, c.discount_fen, c.threshold_fen, c.sku_id)
                                    .where(c.session_id == session.id, c.status == "issued",
                                           c.id.not_in(remedies))
                                    .order_by(c.id))
               if r.sku_id in (None, sku.id)]
    return SkuPrices(session, item, sku, product.name, offers, coupons)


def load_lineup(uow: Any, session: LiveSession, sku_id: str | None = None) -> list[SkuPrices]:
    """The SKU's prices, or every lineup SKU's when sku_id is None."""
    items = [uow.sessions.lineup_item(session.id, sku_id)] if sku_id else \
        uow.sessions.lineup(session.id)
    return [load(uow, session, i) for i in items]


def enforce(uow: Any, ctx: Context, targets: list[SkuPrices], *, override: bool = False,
            override_reason: str = "", save: bool = True) -> list[str]:
    """Refuse unless every target's verdict passes, or is covered by an earlier override,
    or this command carries an override its actor may give. Returns the overridden codes."""
    judged = [(p, p.verdict()) for p in targets]
    failing = [(p, v, bad) for p, v in judged
               if (bad := v.blocking(p.item.override_floor_fen, p.item.planned_price_fen))]
    if not failing:
        return []
    positive = [b for _, _, bad in failing for b in bad if b.code == "price_not_positive"]
    if positive or not override:
        raise rejected(failing)
    if not ctx.actor.may("console.price_override"):
        raise Forbidden(f"role {ctx.actor.role.value} may not override the price guard",
                        action="console.price_override")
    if not override_reason.strip():
        raise Invalid("an override needs override_reason", code="override_reason_required",
                      field="override_reason")
    codes: list[str] = []
    for prices, verdict, bad in failing:
        item = prices.item
        floor = verdict.lowest_fen if item.override_floor_fen is None \
            else min(item.override_floor_fen, verdict.lowest_fen)
        item.override_floor_fen = floor
        if save:
            uow.sessions.save_lineup_item(prices.session.id, item)
        uow.audit.record(ctx.actor, "console.price_override", session_id=prices.session.id,
                         target=prices.sku.id,
                         after={"lowest_fen": verdict.lowest_fen, "accepted_floor_fen": floor,
                                "violations": [prices.describe(b) for b in bad]},
                         override_reason=override_reason)
        codes += [b.code for b in bad if b.code not in codes]
    return codes


def recheck(uow: Any, targets: list[SkuPrices]) -> None:
    """Go-live, listing and a flash sale's start: what viewers are about to see must pass
    the guard or sit within an earlier override. A digit slipped upwards was answered when
    the price was typed; here only how low a viewer can pay matters."""
    failing = []
    for p in targets:
        v = p.verdict()
        bad = [b for b in v.blocking(p.item.override_floor_fen, p.item.planned_price_fen)
               if not (b.code == "price_digit_slip" and b.price_fen > p.item.planned_price_fen)]
        if bad:
            failing.append((p, v, bad))
    if failing:
        raise rejected(failing)


def rejected(failing: list[tuple[SkuPrices, PriceVerdict, list[PriceViolation]]]
             ) -> PriceRejected:
    """422 naming the SKU: product, code, spec, the lowest price, the cost and the rule of
    the first violation at the top of details; every violation of every SKU in the list."""
    prices, verdict, bad = failing[0]
    first = bad[0]
    label = f"「{prices.product_name} {prices.sku.spec}」".replace(" 」", "」")
    message = label + "；".join(b.message for b in bad)
    if verdict.lowest_fen < first.price_fen:
        message += f"（最低可付 {fmt_fen(verdict.lowest_fen)} lowest payable）"
    return PriceRejected(
        message, code=first.code, sku_id=prices.sku.id, sku_code=prices.sku.code,
        spec=prices.sku.spec, product_name=prices.product_name, rule=first.source,
        price_fen=first.price_fen, limit_fen=first.limit_fen, lowest_fen=verdict.lowest_fen,
        cost_fen=prices.sku.cost_fen, coupon_ids=list(first.coupon_ids),
        violations=[p.describe(b) for p, _, bad_ in failing for b in bad_])
