from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liveroom.catalog import views
from liveroom.catalog.commands import CreateProduct, SkuSpec, UpdateProductHistory
from liveroom.entrypoints.api.deps import ContainerDep, Operator, PageDep, Reader
from liveroom.entrypoints.api.schemas import HistoryIn, ProductIn

router = APIRouter(tags=["catalogue"])


@router.post("/products", status_code=201)
def create_product(body: ProductIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    data = body.model_dump()
    skus = [SkuSpec(**s) for s in data.pop("skus")]
    return c.bus.handle(CreateProduct(skus=skus, **data), actor)  # type: ignore[no-any-return]


@router.get("/products")
def list_products(conn: Reader, actor: Operator, page: PageDep, tier: str | None = None,
                  category: str | None = None, merchant: str | None = None,
                  sort: str = "score") -> dict[str, Any]:
    actor.require("product.read")
    return views.list_products(conn, tier=tier, category=category, merchant=merchant,
                               limit=page.limit, offset=page.offset, sort=sort)


@router.get("/products/{product_id}")
def get_product(product_id: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("product.read")
    return views.get_product(conn, product_id)


@router.put("/products/{product_id}/history")
def put_history(product_id: str, body: HistoryIn, c: ContainerDep,
                actor: Operator) -> dict[str, Any]:
    c.bus.handle(UpdateProductHistory(product_id, body.history), actor)
    with c.read() as conn:
        return views.get_product(conn, product_id)
