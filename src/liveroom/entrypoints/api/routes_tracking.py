"""Tracking ingest (埋点), tracked links with UTM, and a viewer's path."""

from __future__ import annotations

import io
import logging
from typing import Annotated, Any, Literal

import redis
import segno
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field

from liveroom.adapters.sql.tracking_repo import TrackingRepo
from liveroom.core.money import MAX_FEN
from liveroom.entrypoints.api.deps import ContainerDep, Operator, Reader
from liveroom.entrypoints.api.schemas import Body, Code, Id
from liveroom.metrics import views
from liveroom.tracking.commands import CreateLink, IngestEvents
from liveroom.tracking.handlers import IngestResult, link_json
from liveroom.tracking.model import MAX_BATCH

log = logging.getLogger(__name__)
router = APIRouter(tags=["tracking"])


class EventsIn(Body):
    # Each event is validated by the domain rules, so that a bad one is reported with its
    # reasons instead of failing the whole request at the schema layer.
    events: Annotated[list[Any], Field(min_length=1, max_length=MAX_BATCH)]


class LinkIn(Body):
    channel: Code
    kind: Literal["live", "reservation"] = "live"
    koc: Id | None = None
    team: Id | None = None
    campaign: Annotated[str, Field(max_length=128)] = ""
    spend_fen: Annotated[int, Field(ge=0, le=MAX_FEN, strict=True)] = 0
    coupon_code: Annotated[str, Field(max_length=32)] | None = None


@router.post("/sessions/{sid}/events")
def ingest(sid: str, body: EventsIn, c: ContainerDep, actor: Operator,
           atomic: Annotated[bool, Query()] = False) -> dict[str, Any]:
    """Store a batch of tracking events. Valid events are stored together in one
    transaction, duplicates (same event_id) are ignored, and invalid ones are listed with
    their reasons; `?atomic=true` stores nothing unless every event is valid (422)."""
    result: IngestResult = c.bus.handle(IngestEvents(sid, body.events, atomic), actor)
    out = result.to_json()
    stream = c.tracking_stream
    if stream is not None:
        try:
            out["streamed"] = stream.publish(result.stored)
        except redis.RedisError:
            # The events are committed (the table is the record); a stream outage must not
            # make the client resend them. Report it to the caller and the log.
            log.exception("tracking stream publish failed for session %s", sid)
            out["streamed"] = 0
    return out


@router.post("/sessions/{sid}/links", status_code=201)
def create_link(sid: str, body: LinkIn, request: Request, c: ContainerDep,
                actor: Operator) -> dict[str, Any]:
    base = c.settings.base_url(str(request.base_url))
    out: dict[str, Any] = c.bus.handle(CreateLink(sid, base_url=base, **body.model_dump()),
                                       actor)
    out["short_url"] = f"{base}api/v1/l/{out['code']}"
    out["qr_url"] = f"{base}api/v1/links/{out['code']}/qr.svg"
    return out


@router.get("/sessions/{sid}/links")
def list_links(sid: str, conn: Reader, actor: Operator, request: Request,
               c: ContainerDep) -> dict[str, Any]:
    actor.require("metrics.read")
    base = c.settings.base_url(str(request.base_url))
    items = []
    for row in TrackingRepo(conn).links(sid):
        item = link_json(row)
        item["short_url"] = f"{base}api/v1/l/{item['code']}"
        item["qr_url"] = f"{base}api/v1/links/{item['code']}/qr.svg"
        items.append(item)
    return {"items": items}


@router.get("/links/{code}")
def resolve_link(code: str, conn: Reader) -> dict[str, Any]:
    """What a landing page needs to tag the visit: session, channel, UTM (public)."""
    row = TrackingRepo(conn).link(code)
    return {"code": row.code, "session_id": row.session_id, "kind": row.kind,
            "channel": row.channel, "koc": row.koc, "team": row.team, "utm": row.utm,
            "url": row.url, "coupon_code": row.coupon_code}


@router.get("/links/{code}/qr.svg")
def link_qr(code: str, conn: Reader, request: Request, c: ContainerDep) -> Response:
    """The short link as a QR code (二维码) for posters, groups and SMS (public)."""
    TrackingRepo(conn).link(code)  # 404 for an unknown code
    base = c.settings.base_url(str(request.base_url))
    qr = segno.make(f"{base}api/v1/l/{code}", error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=6, border=2)
    return Response(buf.getvalue(), media_type="image/svg+xml")


@router.get("/l/{code}", include_in_schema=False)
def short_link(code: str, conn: Reader) -> RedirectResponse:
    return RedirectResponse(TrackingRepo(conn).link(code).url, status_code=307)


@router.get("/sessions/{sid}/viewers/{buyer_id}/path")
def viewer_path(sid: str, buyer_id: str, conn: Reader, actor: Operator,
                c: ContainerDep) -> dict[str, Any]:
    actor.require("viewers.read")
    return views.viewer_path(conn, sid, buyer_id, c.metrics_cache.segments)
