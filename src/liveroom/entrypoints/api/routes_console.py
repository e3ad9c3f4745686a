from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liveroom.adapters.sql import schema as t
from liveroom.console import views
from liveroom.console.commands import (
    AdvanceLadder,
    Announce,
    ChangePrice,
    CreateCoupon,
    CreateFlashSale,
    CreateLadder,
    ExplainSku,
    SetCouponStatus,
    SetFlashSaleStatus,
    SetListed,
)
from liveroom.entrypoints.api.deps import ContainerDep, Operator, PageDep, Reader
from liveroom.entrypoints.api.schemas import (
    AnnouncementIn,
    CouponIn,
    ExplainIn,
    FlashSaleIn,
    LadderIn,
    PriceIn,
)

router = APIRouter(tags=["console"])


@router.post("/sessions/{sid}/skus/{sku_id}/price")
def change_price(sid: str, sku_id: str, body: PriceIn, c: ContainerDep,
                 actor: Operator) -> dict[str, Any]:
    return c.bus.handle(ChangePrice(sid, sku_id, **body.model_dump()),  # type: ignore[no-any-return]
                        actor)


@router.post("/sessions/{sid}/skus/{sku_id}/list")
def list_sku(sid: str, sku_id: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(SetListed(sid, sku_id, True), actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/skus/{sku_id}/unlist")
def unlist_sku(sid: str, sku_id: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(SetListed(sid, sku_id, False), actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/explaining")
def explain(sid: str, body: ExplainIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(ExplainSku(sid, body.sku_id), actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/coupons", status_code=201)
def create_coupon(sid: str, body: CouponIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(CreateCoupon(sid, **body.model_dump()), actor)  # type: ignore[no-any-return]


@router.get("/sessions/{sid}/coupons")
def coupons(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("session.read")
    return {"items": views.rows_for_session(conn, t.coupons, sid)}


@router.post("/coupons/{cid}/issue")
def issue_coupon(cid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(SetCouponStatus(cid, "issued"), actor)  # type: ignore[no-any-return]


@router.post("/coupons/{cid}/stop")
def stop_coupon(cid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(SetCouponStatus(cid, "stopped"), actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/flash-sales", status_code=201)
def create_flash_sale(sid: str, body: FlashSaleIn, c: ContainerDep,
                      actor: Operator) -> dict[str, Any]:
    return c.bus.handle(CreateFlashSale(sid, **body.model_dump()),  # type: ignore[no-any-return]
                        actor)


@router.get("/sessions/{sid}/flash-sales")
def flash_sales(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("session.read")
    return {"items": views.rows_for_session(conn, t.flash_sales, sid)}


@router.post("/flash-sales/{fid}/start")
def start_flash_sale(fid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(SetFlashSaleStatus(fid, "start"), actor)  # type: ignore[no-any-return]


@router.post("/flash-sales/{fid}/stop")
def stop_flash_sale(fid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(SetFlashSaleStatus(fid, "stop"), actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/ladders", status_code=201)
def create_ladder(sid: str, body: LadderIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    steps = [(s.after_sold, s.price_fen) for s in body.steps]
    cmd = CreateLadder(sid, body.sku_id, steps, body.override, body.override_reason)
    return c.bus.handle(cmd, actor)  # type: ignore[no-any-return]


@router.post("/ladders/{lid}/advance")
def advance_ladder(lid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(AdvanceLadder(lid), actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/announcements", status_code=201)
def announce(sid: str, body: AnnouncementIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(Announce(sid, body.text, body.pinned), actor)  # type: ignore[no-any-return]


@router.get("/sessions/{sid}/announcements")
def announcements(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("session.read")
    return {"items": views.rows_for_session(conn, t.announcements, sid)}


@router.get("/sessions/{sid}/audit")
def audit(sid: str, conn: Reader, actor: Operator, page: PageDep) -> dict[str, Any]:
    actor.require("audit.read")
    return views.audit(conn, sid, page.limit, page.offset)
