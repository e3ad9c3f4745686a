from __future__ import annotations

from typing import Any

from liveroom.catalog import edit
from liveroom.catalog.commands import (
    CreateProduct,
    ProductCreated,
    RefreshProductStats,
    UpdateProductHistory,
)
from liveroom.catalog.history import observed
from liveroom.catalog.model import Product, Sku, Tier, merchant_name
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid
from liveroom.core.ids import new_id


def create_product(cmd: CreateProduct, uow: Any, ctx: Context) -> dict[str, Any]:
    try:
        tier = Tier(cmd.tier)
    except ValueError as exc:
        raise Invalid(f"tier must be one of {[t.value for t in Tier]}", code="invalid_tier",
                      field="tier") from exc
    if not cmd.skus:
        raise Invalid("a product needs at least one SKU", field="skus")
    codes = [s.code for s in cmd.skus]
    if len(set(codes)) != len(codes):
        raise Invalid("SKU codes repeat within the product", code="duplicate_sku_code",
                      field="skus")
    taken = uow.catalog.code_taken(codes)
    if taken:
        raise Conflict(f"SKU code already exists: {', '.join(taken)}",
                       code="duplicate_sku_code", codes=taken)
    pid = new_id()
    product = Product(
        id=pid, name=cmd.name, category=cmd.category, tier=tier, created_at=ctx.clock.now(),
        brand=cmd.brand, merchant=merchant_name(cmd.merchant), description=cmd.description,
        shipping_regions=list(cmd.shipping_regions),
        ship_lead_days=cmd.ship_lead_days, restock_lead_days=cmd.restock_lead_days,
        qualification_docs=list(cmd.qualification_docs), history=dict(cmd.history),
        skus=[Sku(id=new_id(), product_id=pid, code=s.code, spec=s.spec, price_fen=s.price_fen,
                  cost_fen=s.cost_fen, stock=s.stock, presale_stock=s.presale_stock,
                  safety_stock=s.safety_stock) for s in cmd.skus],
    )
    for sku in product.skus:
        sku.validate()
    uow.catalog.add(product)
    uow.audit.record(ctx.actor, "product.create", target=pid,
                     after={"name": product.name, "tier": tier.value, "skus": codes,
                            **({"merchant": product.merchant} if product.merchant else {})})
    uow.emit(ProductCreated(pid, product.name, tier.value, [s.id for s in product.skus]))
    uow.commit()
    return {"id": pid, "skus": [{"id": s.id, "code": s.code} for s in product.skus]}


def update_history(cmd: UpdateProductHistory, uow: Any, ctx: Context) -> None:
    product = uow.catalog.get(cmd.product_id)
    if any(v < 0 for v in cmd.history.values()):
        raise Invalid("history counts cannot be negative", field="history")
    uow.catalog.update_history(cmd.product_id, {**product.history, **cmd.history})
    uow.audit.record(ctx.actor, "product.history", target=cmd.product_id,
                     before=product.history, after=cmd.history)
    uow.commit()


def refresh_stats(cmd: RefreshProductStats, uow: Any, ctx: Context) -> dict[str, Any]:
    repo = uow.product_stats
    pids = list(cmd.product_ids)
    if cmd.session_id:
        pids += repo.products_in_session(cmd.session_id)
    owner = repo.owners(sorted(set(pids)))
    skus = sorted(owner)
    stats = observed(repo.order_lines(skus), repo.impressions(skus), owner)
    repo.save(stats, ctx.clock.now())
    uow.commit()
    return {"products": len(stats)}


HANDLERS: dict[type, Any] = {CreateProduct: create_product, UpdateProductHistory: update_history,
            RefreshProductStats: refresh_stats, **edit.HANDLERS}
