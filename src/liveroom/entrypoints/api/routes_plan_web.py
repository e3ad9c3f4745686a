"""The plan page (/sessions/{sid}/plan) for 运营: every form posts through htmx (with the
page's CSRF header) to the same commands as the JSON API and answers with the page body
redrawn, the outcome shown where the form was (a refused price in its own row)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError, Invalid
from liveroom.core.messages import Command
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.routes_web_console import yuan_to_fen
from liveroom.entrypoints.api.web_base import Token, page, render, web_writer
from liveroom.entrypoints.api.web_plan_views import plan_context
from liveroom.identity.model import Actor
from liveroom.orders import rehearsal
from liveroom.planning import views as planning_views
from liveroom.planning.commands import (
    CreateSession,
    LineupEntry,
    SegmentEntry,
    SetContingency,
    SetLineup,
    SetSegments,
    TickChecklist,
    TransitionSession,
    UpdateSession,
)
from liveroom.planning.model import LOOP_STEPS, replace_loop

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=5000)]
Texts = Annotated[list[str], Form()]
FABE = ("feature", "advantage", "benefit", "evidence")


@router.get("/sessions/{sid}/plan", response_class=HTMLResponse)
def plan_page(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "plan.html", lambda actor: plan_context(c, sid, actor),
                "session.read")


@router.get("/sessions/{sid}/checklist")
def checklist_page(sid: str) -> Response:
    return RedirectResponse(f"/sessions/{sid}/plan#checklist", status_code=303)


def _body(request: Request, c: Container, sid: str, actor: Actor, **extra: Any) -> Response:
    return render(request, "plan_body.html", {
        **plan_context(c, sid, actor, **extra), "tz": c.settings.timezone})


def _act(request: Request, c: Container, token: str | None, sid: str,
         command: Callable[[], Command], done: str, where: str) -> Response:
    """Build and run one command; the page body comes back with the outcome at `where`."""
    actor = web_writer(request, c, token)
    try:
        c.bus.handle(command(), actor)
    except DomainError as exc:
        return _body(request, c, sid, actor, error=exc, at=where)
    return _body(request, c, sid, actor, done=done, at=where)


def _local_time(text: str, tz: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=ZoneInfo(tz))
    except ValueError as exc:
        raise Invalid(f"not a date and time: {text}", code="invalid_time",
                      field="scheduled_start") from exc


def _whole(text: str, name: str) -> int:
    text = text.strip()
    if not text.lstrip("-").isdigit() or abs(int(text)) > 100_000:
        raise Invalid(f"{name} must be a whole number", code="invalid_number", field=name)
    return int(text)


def _rate(text: str) -> float:
    try:
        return float(text.strip().rstrip("%％")) / 100
    except ValueError as exc:
        raise Invalid(f"not a percentage: {text}", code="invalid_number",
                      field="conversion") from exc


@router.post("/sessions/new", response_class=HTMLResponse)
def create_show(request: Request, c: ContainerDep, title: Text, start: Text,
                duration: Text = "120", token: Token = None) -> Response:
    """The sessions list's form: a new show, then straight to its plan."""
    actor = web_writer(request, c, token)
    try:
        out = c.bus.handle(CreateSession(
            title=title.strip(), scheduled_start=_local_time(start, c.settings.timezone),
            duration_minutes=_whole(duration, "duration_minutes")), actor)
    except DomainError as exc:
        return render(request, "row_message.html", {"error": exc})
    return Response("", headers={"HX-Redirect": f"/sessions/{out['id']}/plan"})


@router.post("/sessions/{sid}/plan/details", response_class=HTMLResponse)
def details(sid: str, request: Request, c: ContainerDep, title: Text, start: Text,
            duration: Text, theme: Text = "", gmv: Text = "", viewers: Text = "",
            conversion: Text = "", token: Token = None) -> Response:
    def command() -> UpdateSession:
        targets: dict[str, float] = {}
        if gmv.strip():
            targets["gmv_fen"] = yuan_to_fen(gmv, "gmv")
        if viewers.strip():
            targets["viewers"] = _whole(viewers, "viewers")
        if conversion.strip():
            targets["conversion_rate"] = _rate(conversion)
        return UpdateSession(sid, title=title.strip(), theme=theme.strip(),
                             scheduled_start=_local_time(start, c.settings.timezone),
                             duration_minutes=_whole(duration, "duration_minutes"),
                             targets=targets)
    return _act(request, c, token, sid, command, "details_saved", "details")


def _lineup(c: Container, sid: str) -> list[LineupEntry]:
    with c.read() as conn:
        items = planning_views.lineup_view(conn, sid)
    return [LineupEntry(i["sku_id"], i["live_price_fen"], i["floor_price_fen"],
                        i["flash_quantity"], dict(i["talking_points"])) for i in items]


@router.post("/sessions/{sid}/plan/lineup", response_class=HTMLResponse)
def add_item(sid: str, request: Request, c: ContainerDep, sku_id: Text, price: Text,
             token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetLineup(sid, [
        *_lineup(c, sid), LineupEntry(sku_id, yuan_to_fen(price))]), "item_added", "lineup")


@router.post("/sessions/{sid}/plan/lineup/{sku_id}", response_class=HTMLResponse)
def edit_item(sid: str, sku_id: str, request: Request, c: ContainerDep, price: Text,
              flash: Text = "0", feature: Text = "", advantage: Text = "", benefit: Text = "",
              evidence: Text = "", token: Token = None) -> Response:
    def command() -> SetLineup:
        points = {k: v.strip() for k, v in zip(FABE, (feature, advantage, benefit, evidence),
                                               strict=True) if v.strip()}
        entries = [LineupEntry(e.sku_id, yuan_to_fen(price), e.floor_price_fen,
                               _whole(flash or "0", "flash_quantity"), points)
                   if e.sku_id == sku_id else e for e in _lineup(c, sid)]
        return SetLineup(sid, entries)
    return _act(request, c, token, sid, command, "item_saved", f"lineup:{sku_id}")


@router.post("/sessions/{sid}/plan/lineup/{sku_id}/remove", response_class=HTMLResponse)
def remove_item(sid: str, sku_id: str, request: Request, c: ContainerDep,
                token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetLineup(
        sid, [e for e in _lineup(c, sid) if e.sku_id != sku_id]), "item_removed", "lineup")


@router.post("/sessions/{sid}/plan/segments", response_class=HTMLResponse)
def segments(sid: str, request: Request, c: ContainerDep, start: Texts, length: Texts,
             kind: Texts, sku: Texts, title: Texts, giveaway: Texts, explain: Texts,
             engage: Texts, close: Texts, script: Texts, drop: Text = "",
             token: Token = None) -> Response:
    """The run-of-show table as parallel columns; a row without a length (the empty row at
    the bottom, unless filled in) or whose remove button was pressed is left out."""
    def command() -> SetSegments:
        rows = zip(start, length, kind, sku, title, giveaway, explain, engage, close, script,
                   strict=True)
        out = []
        for i, (st, ln, kd, sk, tt, gv, *steps, old) in enumerate(rows):
            if not ln.strip() or str(i) == drop:
                continue
            loop = dict(zip(LOOP_STEPS, steps, strict=True))
            out.append(SegmentEntry(kd, _whole(st, "start_minute"), _whole(ln, "length"),
                                    tt.strip(), sk or None, gv == "1", replace_loop(old, loop)))
        return SetSegments(sid, out)
    return _act(request, c, token, sid, command, "segments_saved", "segments")


@router.post("/sessions/{sid}/plan/contingency", response_class=HTMLResponse)
def contingency(sid: str, request: Request, c: ContainerDep, equipment_failure: Text = "",
                out_of_stock: Text = "", slip_of_tongue: Text = "",
                token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetContingency(sid, {
        "equipment_failure": equipment_failure, "out_of_stock": out_of_stock,
        "slip_of_tongue": slip_of_tongue}), "contingency_saved", "contingency")


@router.post("/sessions/{sid}/plan/checklist/{item}", response_class=HTMLResponse)
def tick(sid: str, item: str, request: Request, c: ContainerDep, ok: Text = "1",
         note: Text = "", token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: TickChecklist(sid, item, ok == "1",
                                                              note.strip()),
                "ticked", "checklist")


@router.post("/sessions/{sid}/plan/rehearse", response_class=HTMLResponse)
def rehearse(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: TransitionSession(sid, "rehearse"),
                "rehearsing", "checklist")


@router.post("/sessions/{sid}/plan/test-orders", response_class=HTMLResponse)
def test_order(sid: str, request: Request, c: ContainerDep, sku_id: Text,
               token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: rehearsal.PlaceTestOrder(sid, sku_id),
                "test_placed", "tests")


@router.post("/sessions/{sid}/plan/test-orders/{oid}/{step}", response_class=HTMLResponse)
async def test_order_step(sid: str, oid: str, step: str, request: Request, c: ContainerDep,
                          token: Token = None) -> Response:
    """Pay (sandbox) or refund a test order, as the buyer and the operator would."""
    actor = web_writer(request, c, token)
    actor.require(rehearsal.PlaceTestOrder.action)
    if step not in ("pay", "refund"):
        raise Invalid("step must be pay or refund", field="step")

    def run() -> Any:
        with c.uow() as uow:
            if step == "pay":
                rehearsal.pay_test_order(uow, c.payments, actor, oid, c.clock.now())
                return []
            done = rehearsal.refund_test_order(uow, c.payments, actor, oid,
                                               c.clock.now())
            uow.commit()
            return done.held
    try:
        held = await run_in_threadpool(run)
    except DomainError as exc:
        return await run_in_threadpool(_body, request, c, sid, actor, error=exc, at="tests")
    await c.stock.release(held)
    await run_in_threadpool(c.relay.drain)
    done = "test_paid" if step == "pay" else "test_refunded"
    return await run_in_threadpool(_body, request, c, sid, actor, done=done, at="tests")
