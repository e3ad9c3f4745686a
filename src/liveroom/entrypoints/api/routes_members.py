"""Members (私域): the member list and one member (tier, points, RFM), audited CSV/XLSX
exports, spending points, double-points windows and member-only prices in a show."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from liveroom.bootstrap import Container
from liveroom.core.export import to_csv, to_xlsx
from liveroom.crm import community_views, views
from liveroom.crm.commands import (
    ExportMembers,
    RestrictCoupon,
    SetMemberPrice,
    SetPointsWindow,
    SpendPoints,
)
from liveroom.crm.model import SEGMENT_LABELS, Segment
from liveroom.crm.rules import tier_rules
from liveroom.entrypoints.api.deps import ContainerDep, Operator, PageDep
from liveroom.entrypoints.api.downloads import download
from liveroom.entrypoints.api.schemas import Body, Code, Fen, Override
from liveroom.entrypoints.api.web_base import Token, page
from liveroom.identity.model import Actor

router = APIRouter(tags=["members"])
Tier = Annotated[str | None, Query(max_length=16)]
SegmentQ = Annotated[str | None, Query(max_length=32)]


class MemberPriceIn(Override):
    sku_id: Code
    tier: Annotated[str, Field(min_length=1, max_length=16)]
    price_fen: Fen


class PointsWindowIn(Body):
    multiplier: Annotated[int, Field(strict=True, ge=2, le=10)] = 2
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class CouponAudienceIn(Body):
    min_tier: Annotated[str | None, Field(min_length=1, max_length=16)] = None
    segment: Annotated[str | None, Field(min_length=1, max_length=32)] = None


class SpendIn(Body):
    points: Annotated[int, Field(strict=True, ge=1, le=10**9)]
    ref: Annotated[str, Field(min_length=1, max_length=64)]
    note: Annotated[str, Field(max_length=200)] = ""


@router.get("/members", response_model=None)
async def list_members(c: ContainerDep, actor: Operator, page: PageDep, tier: Tier = None,
                       segment: SegmentQ = None,
                       format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
                       ) -> dict[str, Any] | Response:
    actor.require("members.read")
    if format != "json":
        cmd = ExportMembers(tier, segment, actor.may("orders.see_personal_data"), format)
        rows = await asyncio.to_thread(c.bus.handle, cmd, actor)
        body = (to_csv(views.EXPORT_COLUMNS, rows) if format == "csv"
                else to_xlsx(views.EXPORT_COLUMNS, rows, "members"))
        return download(body, f"members.{format}")

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return views.page(conn, tier_rules(), c.clock.now(), tier=tier, segment=segment,
                              limit=page.limit, offset=page.offset)
    return await asyncio.to_thread(read)


@router.get("/member-groups")
async def member_groups(c: ContainerDep, actor: Operator,
                        min_orders: Annotated[int, Query(ge=1, le=1000)] = 1
                        ) -> dict[str, Any]:
    """Interest groups (categories bought) with their members, for the community team."""
    actor.require("members.read")

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return {"groups": community_views.groups(conn, min_orders)}
    return await asyncio.to_thread(read)


@router.get("/repurchase-reminders")
async def repurchase_reminders(c: ContainerDep, actor: Operator,
                               within_days: Annotated[int, Query(ge=0, le=365)] = 30
                               ) -> dict[str, Any]:
    """Who is due to buy a product again (the median interval between repeat purchases)."""
    actor.require("members.read")

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return {"items": community_views.reminders(conn, c.clock.now(), within_days)}
    return await asyncio.to_thread(read)


@router.get("/members/{buyer_id}")
async def get_member(buyer_id: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("members.read")

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            found = views.member(conn, tier_rules(), c.clock.now(), buyer_id)
            found["recommendations"] = community_views.recommendations(conn, buyer_id)
            return found
    return await asyncio.to_thread(read)


@router.post("/members/{buyer_id}/points/spend")
async def spend_points(buyer_id: str, body: SpendIn, c: ContainerDep,
                       actor: Operator) -> dict[str, Any]:
    cmd = SpendPoints(buyer_id, body.points, body.ref, body.note)
    return await asyncio.to_thread(c.bus.handle, cmd, actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/member-prices")
async def set_member_price(sid: str, body: MemberPriceIn, c: ContainerDep,
                           actor: Operator) -> dict[str, Any]:
    cmd = SetMemberPrice(sid, **body.model_dump())
    return await asyncio.to_thread(c.bus.handle, cmd, actor)  # type: ignore[no-any-return]


@router.put("/coupons/{cid}/audience")
async def restrict_coupon(cid: str, body: CouponAudienceIn, c: ContainerDep,
                          actor: Operator) -> dict[str, Any]:
    """会员专享券: only members of min_tier and up and/or of the segment may claim it."""
    cmd = RestrictCoupon(cid, body.min_tier, body.segment)
    return await asyncio.to_thread(c.bus.handle, cmd, actor)  # type: ignore[no-any-return]


@router.post("/sessions/{sid}/points-windows", status_code=201)
async def set_points_window(sid: str, body: PointsWindowIn, c: ContainerDep,
                            actor: Operator) -> dict[str, Any]:
    cmd = SetPointsWindow(sid, **body.model_dump())
    return await asyncio.to_thread(c.bus.handle, cmd, actor)  # type: ignore[no-any-return]


# -- the /members page (ops, cs, admin) ---------------------------------------------------

pages = APIRouter(include_in_schema=False)
PAGE_SIZE = 100

def _filters() -> dict[str, Any]:
    rules = tier_rules()
    return {"tiers": [(t.code, t.label) for t in rules.tiers],
            "segments": [(s.value, SEGMENT_LABELS[s]) for s in Segment]}


def members_context(c: Container, actor: Actor, tier: str | None,
                    segment: str | None) -> dict[str, Any]:
    if not actor.may("members.read"):
        return {"allowed": False}
    with c.read() as conn, conn.begin():
        found = views.page(conn, tier_rules(), c.clock.now(), tier=tier or None,
                           segment=segment or None, limit=PAGE_SIZE, offset=0)
    return {"allowed": True, "page": found, "tier": tier or "", "segment": segment or "",
            "may_export": actor.may("members.export"), **_filters()}


def member_context(c: Container, actor: Actor, buyer_id: str) -> dict[str, Any]:
    if not actor.may("members.read"):
        return {"allowed": False}
    with c.read() as conn, conn.begin():
        found = views.member(conn, tier_rules(), c.clock.now(), buyer_id)
        found["recommendations"] = community_views.recommendations(conn, buyer_id)
    return {"allowed": True, "m": found}


@pages.get("/members", response_class=HTMLResponse)
def members_page(request: Request, c: ContainerDep, token: Token = None,
                 tier: Tier = None, segment: SegmentQ = None) -> Response:
    return page(request, c, token, "members.html",
                lambda actor: members_context(c, actor, tier, segment), "session.list")


@pages.get("/members/{buyer_id}", response_class=HTMLResponse)
def member_page(buyer_id: str, request: Request, c: ContainerDep,
                token: Token = None) -> Response:
    return page(request, c, token, "member.html",
                lambda actor: member_context(c, actor, buyer_id), "session.list")
