"""Members' reach (私域触达) over HTTP: a buyer's consent per channel, the reminder queue
(plan and send now, or let the minute timer do it), 晒单 posts and their review by ops
(with the /members/ugc page), and invitations."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError
from liveroom.core.messages import Command
from liveroom.crm import reach_views
from liveroom.crm.commands import (
    AcceptInvitation,
    ImportPurchases,
    PastPurchase,
    PlanReminders,
    PostUgc,
    ReviewUgc,
    SendReminders,
    SetConsent,
)
from liveroom.entrypoints.api.deps import Buyer, ContainerDep, Operator
from liveroom.entrypoints.api.schemas import Body, Line, Moment
from liveroom.entrypoints.api.web_base import Token, page, render, web_writer
from liveroom.identity.model import Actor

router = APIRouter(tags=["members"])
UgcStatus = Annotated[Literal["pending", "approved", "rejected"] | None, Query()]


class ConsentIn(Body):
    granted: bool


class UgcIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=1000)]
    photo_url: Annotated[str | None, Field(max_length=500), Line] = None


class ReviewIn(Body):
    points: Annotated[int, Field(strict=True, ge=0, le=10_000)] = 0
    coupon_id: Annotated[str | None, Field(min_length=1, max_length=32)] = None


class PastPurchaseIn(Body):
    ref: Annotated[str, Field(min_length=1, max_length=27), Line]
    buyer_id: Annotated[str, Field(min_length=1, max_length=64), Line]
    sku_id: Annotated[str, Field(min_length=1, max_length=32), Line]
    quantity: Annotated[int, Field(strict=True, ge=1, le=10_000)] = 1
    unit_price_fen: Annotated[int, Field(strict=True, ge=1, le=10**10)]
    paid_at: Moment


class ImportIn(Body):
    purchases: Annotated[list[PastPurchaseIn], Field(min_length=1, max_length=50_000)]


class InviteIn(Body):
    inviter_id: Annotated[str, Field(min_length=1, max_length=64), Line]


async def _run(c: Container, cmd: Command, actor: Any) -> Any:
    return await asyncio.to_thread(c.bus.handle, cmd, actor)


@router.put("/me/consents/{channel}")
async def set_consent(channel: str, body: ConsentIn, c: ContainerDep,
                      buyer: Buyer) -> dict[str, Any]:
    return await _run(c, SetConsent(buyer, channel, body.granted), buyer)  # type: ignore[no-any-return]


@router.post("/member-reminders/run")
async def run_reminders(c: ContainerDep, actor: Operator) -> dict[str, Any]:
    """Plan what is due and send it now (the server also does this every minute)."""
    planned = await _run(c, PlanReminders(), actor)
    return {**planned, **await _run(c, SendReminders(), actor)}


@router.get("/member-reminders")
async def list_reminders(c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("members.read")

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return reach_views.reminders(conn)
    return await asyncio.to_thread(read)


@router.post("/orders/{oid}/ugc", status_code=201)
async def post_ugc(oid: str, body: UgcIn, c: ContainerDep, buyer: Buyer) -> dict[str, Any]:
    return await _run(c, PostUgc(buyer, oid, body.text, body.photo_url), buyer)  # type: ignore[no-any-return]


@router.get("/ugc")
async def list_ugc(c: ContainerDep, actor: Operator, status: UgcStatus = None
                   ) -> dict[str, Any]:
    actor.require("members.read")

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return {"items": reach_views.ugc(conn, status)}
    return await asyncio.to_thread(read)


@router.post("/ugc/{pid}/{decision}")
async def review_ugc(pid: str, decision: Literal["approve", "reject"], body: ReviewIn,
                     c: ContainerDep, actor: Operator) -> dict[str, Any]:
    cmd = ReviewUgc(pid, decision == "approve", body.points, body.coupon_id)
    return await _run(c, cmd, actor)  # type: ignore[no-any-return]


@router.post("/members/import", status_code=201)
async def import_history(body: ImportIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    """Members' paid orders from the previous shop system (idempotent per ref)."""
    cmd = ImportPurchases(tuple(PastPurchase(**p.model_dump()) for p in body.purchases))
    return await _run(c, cmd, actor)  # type: ignore[no-any-return]


@router.post("/invitations", status_code=201)
async def accept_invitation(body: InviteIn, c: ContainerDep, buyer: Buyer) -> dict[str, Any]:
    return await _run(c, AcceptInvitation(buyer, body.inviter_id), buyer)  # type: ignore[no-any-return]


@router.get("/invitations")
async def invitation_board(c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("members.read")

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return {"items": reach_views.invitation_board(conn)}
    return await asyncio.to_thread(read)


# -- the /members/ugc page (ops approve 晒单) -----------------------------------------------

pages = APIRouter(include_in_schema=False)


def ugc_context(c: Container, actor: Actor) -> dict[str, Any]:
    if not actor.may("members.read"):
        return {"allowed": False}
    with c.read() as conn, conn.begin():
        return {"allowed": True, "posts": reach_views.ugc(conn, None),
                "board": reach_views.invitation_board(conn),
                "may_review": actor.may("members.ugc")}


@pages.get("/members/ugc", response_class=HTMLResponse)
def ugc_page(request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "ugc.html", lambda actor: ugc_context(c, actor),
                "session.list")


@pages.post("/members/ugc/{pid}/{decision}", response_class=HTMLResponse)
async def ugc_action(pid: str, decision: Literal["approve", "reject"], request: Request,
                     c: ContainerDep, points: Annotated[int, Form(ge=0, le=10_000)] = 0,
                     token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    done, error = None, None
    try:
        await _run(c, ReviewUgc(pid, decision == "approve", points), actor)
        done = decision
    except DomainError as exc:
        error = exc.code
    context = await asyncio.to_thread(ugc_context, c, actor)
    return render(request, "ugc_body.html", {**context, "done": done, "error": error,
                                             "actor": actor})
