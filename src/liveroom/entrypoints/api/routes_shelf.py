"""The viewer's side of the live room: the product bag (public, no sign-in)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.bootstrap import Container
from liveroom.console.shelf import shelf
from liveroom.entrypoints.api.deps import ContainerDep, Credentials, buyer_bearer
from liveroom.entrypoints.api.guard import buyer_id_of
from liveroom.identity.model import verify_buyer_jwt

router = APIRouter(tags=["viewers"])


@router.get("/sessions/{sid}/shelf")
async def get_shelf(sid: str, c: ContainerDep,
                    credentials: Annotated[Credentials, Depends(buyer_bearer)] = None
                    ) -> dict[str, Any]:
    """Listed products at their live price with "仅剩 N 件", running flash sales with what
    is left (from the stock ledger), issued coupons and the pinned announcement; with a
    buyer's token, the member price of the buyer's tier."""
    buyer = None if credentials is None else buyer_id_of(verify_buyer_jwt(
        credentials.credentials.strip(), c.settings.buyer_secret,
        c.settings.buyer_token_max_minutes))
    return await load_shelf(c, sid, buyer)


async def load_shelf(c: Container, sid: str, buyer: str | None) -> dict[str, Any]:
    """The shelf with live flash sales' remaining units from the stock ledger (the viewer
    page /live/{sid} draws the same data)."""
    def live_sales() -> list[str]:
        with c.read() as conn, conn.begin():
            fs = t.flash_sales.c
            return list(conn.execute(select(fs.id).where(fs.session_id == sid,
                                                         fs.status == "live")).scalars())
    remaining: dict[str, int] = {}
    for fid in await asyncio.to_thread(live_sales):
        left = await c.stock.remaining(fid)
        if left is not None:
            remaining[fid] = left

    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return shelf(conn, sid, remaining, buyer, c.clock.now())
    return await asyncio.to_thread(read)
