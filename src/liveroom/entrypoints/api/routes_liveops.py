"""Live-ops suggestions as JSON (what the console panel shows) and the cart intervention."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from liveroom.core.money import MAX_FEN
from liveroom.entrypoints.api.deps import ContainerDep, Operator
from liveroom.entrypoints.api.routes_web_liveops import liveops_context
from liveroom.liveops.commands import InterveneCarts

router = APIRouter(tags=["liveops"])


class InterventionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["coupon", "message"]
    discount_fen: Annotated[int, Field(ge=0, le=MAX_FEN)] = 0
    minutes: Annotated[int, Field(ge=1, le=120)] = 10
    after_minutes: Annotated[int, Field(ge=1, le=120)] = 5
    text: Annotated[str, Field(max_length=200)] = ""


@router.get("/sessions/{sid}/liveops")
def suggestions(sid: str, c: ContainerDep, actor: Operator,
                after: Annotated[int, Query(ge=1, le=120)] = 5) -> dict[str, Any]:
    """Heat-map order, abandoned carts, recovered GMV, bundles and the half-hour sync."""
    actor.require("metrics.read")
    ctx = liveops_context(c, sid, timedelta(minutes=after))
    sync = ctx["sync"]
    last = ctx["recovery"]["last"]
    return {"heat": ctx["heat"], "abandoned": ctx["abandoned_count"],
            "abandoned_by_sku": dict(ctx["abandoned_skus"]),
            "recovery": {**ctx["recovery"], "last": None if last is None else {
                **{k: v for k, v in last.items() if k not in ("at", "buyer_ids")},
                "at": last["at"].isoformat()}},
            "bundles": ctx["bundles"],
            "host_sync": {**sync, **{k: sync[k].isoformat() for k in ("start", "end", "next")}}}


@router.post("/sessions/{sid}/cart-interventions", status_code=201)
def intervene(sid: str, body: InterventionIn, c: ContainerDep,
              actor: Operator) -> dict[str, Any]:
    out: dict[str, Any] = c.bus.handle(InterveneCarts(
        sid, body.kind, body.discount_fen, body.minutes, body.after_minutes, body.text), actor)
    return out
