"""PATCH a product, a SKU or a planned session: parse → command → bus → the fresh view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liveroom.catalog import views as catalog_views
from liveroom.catalog.commands import UpdateProduct, UpdateSku
from liveroom.entrypoints.api.deps import ContainerDep, Operator
from liveroom.entrypoints.api.schemas_edit import ProductPatch, SessionPatch, SkuPatch
from liveroom.planning import views as planning_views
from liveroom.planning.commands import UpdateSession

router = APIRouter(tags=["editing"])


@router.patch("/products/{product_id}")
def patch_product(product_id: str, body: ProductPatch, c: ContainerDep,
                  actor: Operator) -> dict[str, Any]:
    out = c.bus.handle(UpdateProduct(product_id, **body.model_dump(exclude_unset=True)), actor)
    with c.read() as conn:
        return {**catalog_views.get_product(conn, product_id), "changed": out["changed"]}


@router.patch("/skus/{sku_id}")
def patch_sku(sku_id: str, body: SkuPatch, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(UpdateSku(sku_id, **body.model_dump(exclude_unset=True)),  # type: ignore[no-any-return]
                        actor)


@router.patch("/sessions/{sid}")
def patch_session(sid: str, body: SessionPatch, c: ContainerDep,
                  actor: Operator) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True)
    if "targets" in data:
        data["targets"] = {k: v for k, v in data["targets"].items() if v is not None}
    out = c.bus.handle(UpdateSession(sid, **data), actor)
    with c.read() as conn:
        return {**planning_views.session_detail(conn, sid), "changed": out["changed"]}
