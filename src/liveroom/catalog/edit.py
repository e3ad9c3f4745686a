"""Editing what was created: a product's fields and a SKU's price, cost and stock.

Every edit is audited with the fields before and after. A SKU's new price or cost goes
through the one price guard (console/price_guard.py) for every planned, rehearsing or live
show that has the SKU in its lineup: raising the cost above a live price is refused with
the same codes as a price change, unless ops/admin give an audited override."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from liveroom.catalog.commands import UpdateProduct, UpdateSku
from liveroom.catalog.model import Sku, Tier, merchant_name
from liveroom.console import price_guard
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid

PRODUCT_FIELDS = ("name", "category", "tier", "brand", "merchant", "description",
                  "shipping_regions", "ship_lead_days", "restock_lead_days",
                  "qualification_docs")
SKU_FIELDS = ("spec", "price_fen", "cost_fen", "presale_stock", "safety_stock")


def given(cmd: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(cmd, n) for n in names if getattr(cmd, n) is not None}


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any],
                                                                    dict[str, Any]]:
    """Only what actually differs, as (before, after)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def update_product(cmd: UpdateProduct, uow: Any, ctx: Context) -> dict[str, Any]:
    product = uow.catalog.get(cmd.product_id)
    new = given(cmd, PRODUCT_FIELDS)
    if "tier" in new:
        try:
            Tier(new["tier"])
        except ValueError as exc:
            raise Invalid(f"tier must be one of {[t.value for t in Tier]}",
                          code="invalid_tier", field="tier") from exc
    for key in ("name", "category"):
        if key in new and not str(new[key]).strip():
            raise Invalid(f"{key} cannot be empty", field=key)
    for key in ("ship_lead_days", "restock_lead_days"):
        if key in new and not 0 <= new[key] <= 365:
            raise Invalid(f"{key} must be 0–365", field=key)
    if "merchant" in new:
        new["merchant"] = merchant_name(new["merchant"])
    if "shipping_regions" in new and not new["shipping_regions"]:
        raise Invalid("a product ships to at least one region", field="shipping_regions")
    old = {k: (getattr(product, k).value if k == "tier" else getattr(product, k))
           for k in PRODUCT_FIELDS}
    before, after = changes(old, new)
    if after:
        uow.catalog.update_product(cmd.product_id, after)
        uow.audit.record(ctx.actor, "product.update", target=cmd.product_id,
                         before=before, after=after)
    uow.commit()
    return {"id": cmd.product_id, "changed": sorted(after)}


def update_sku(cmd: UpdateSku, uow: Any, ctx: Context) -> dict[str, Any]:
    sku = uow.catalog.sku(cmd.sku_id)
    if cmd.stock is not None and cmd.restock is not None:
        raise Invalid("give either stock or restock, not both", field="restock")
    if cmd.restock is not None and cmd.restock <= 0:
        raise Invalid("restock adds at least one unit", code="invalid_stock", field="restock")
    old = {f.name: getattr(sku, f.name) for f in fields(Sku)}
    before, after = changes(old, given(cmd, SKU_FIELDS))
    edited = Sku(**{**old, **after})
    edited.validate()
    if after:
        uow.catalog.update_sku(sku.id, after)
    overridden: list[str] = []
    if {"price_fen", "cost_fen"} & after.keys():
        overridden = _guard(uow, ctx, cmd)
    stock = _stock(uow, cmd, sku)
    if stock is not None:
        before["stock"], after["stock"] = sku.stock, stock
    if after:
        uow.audit.record(ctx.actor, "sku.update", target=sku.id, before=before,
                         after={**after, **({"overridden": overridden} if overridden else {})},
                         override_reason=cmd.override_reason if overridden else None)
    uow.commit()
    return {"id": sku.id, "changed": sorted(after), "overridden": overridden}


def _stock(uow: Any, cmd: UpdateSku, sku: Sku) -> int | None:
    """The new stock count, changed by one conditional update; None if untouched."""
    if cmd.restock is not None:
        uow.catalog.return_stock(sku.id, cmd.restock)  # stock = stock + n, atomically
        return int(uow.catalog.sku(sku.id).stock)
    if cmd.stock is None or (cmd.stock == sku.stock and cmd.expected_stock in (None, sku.stock)):
        return None
    if cmd.stock < 0:
        raise Invalid("stock cannot be negative", code="invalid_stock", field="stock")
    if not uow.catalog.set_stock(sku.id, cmd.stock, cmd.expected_stock):
        raise Conflict("stock changed meanwhile; reload and try again",
                       code="stock_changed", expected=cmd.expected_stock)
    return cmd.stock


def _guard(uow: Any, ctx: Context, cmd: UpdateSku) -> list[str]:
    """The price guard, with the edited SKU, in every open show that has it."""
    targets = []
    for session in uow.sessions.open_with_sku(cmd.sku_id):
        item = uow.sessions.lineup_item(session.id, cmd.sku_id)
        targets.append(price_guard.load(uow, session, item))
    return price_guard.enforce(uow, ctx, targets, override=cmd.override,
                               override_reason=cmd.override_reason)


HANDLERS: dict[type, Any] = {UpdateProduct: update_product, UpdateSku: update_sku}
