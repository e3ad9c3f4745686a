"""The console (中控台): one page, every action a form that calls the same command as the
JSON API. An action answers with a short message where it was pressed (a price in its own
row); what it changed reaches every open page through the live feed (routes_web_live)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.analytics.commands import OpenIncident, ResolveIncident
from liveroom.bootstrap import Container
from liveroom.comments import commands as comment_cmds
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
from liveroom.core.errors import DomainError, Invalid
from liveroom.core.money import MAX_FEN, Money
from liveroom.entrypoints.api import live_comments
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.web_base import Token, page, render, web_writer
from liveroom.entrypoints.api.web_labels import N_
from liveroom.entrypoints.api.web_views import show_context
from liveroom.metrics.commands import AcknowledgeAlert
from liveroom.planning import views as planning_views
from liveroom.planning.commands import TransitionSession

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


@router.get("/console/{sid}", response_class=HTMLResponse)
def console_page(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    def context(actor: Any) -> dict[str, Any]:
        with c.read() as conn:  # where the comment stream starts (live_comments)
            after = live_comments.snapshot_start(conn, sid)
        return {**show_context(c, sid, actor), "comments_after": after}

    return page(request, c, token, "console.html", context, "session.read")


def yuan_to_fen(text: str, field: str = "price") -> int:
    try:
        fen = Money.yuan(text.strip().lstrip("¥￥")).fen
    except ValueError as exc:
        raise Invalid(f"not a price in yuan: {text}", code="invalid_price", field=field) from exc
    if fen > MAX_FEN:
        raise Invalid(f"too large: {text}", code="invalid_price", field=field)
    return fen


def _act(request: Request, c: Container, token: str | None, sid: str,
         command: Callable[[], Any], ok: str, *, product: str = "",
         template: str = "toast.html") -> Response:
    """Build and run a console command; answer with the outcome (the message ids are
    translated in the template)."""
    actor = web_writer(request, c, token)
    error: DomainError | None = None
    try:
        c.bus.handle(command(), actor)
    except DomainError as exc:
        error = exc
    return render(request, template, {"ok": None if error else ok, "error": error,
                                      "product": product, "sid": sid})


def _product(c: Container, sid: str, sku_id: str) -> str:
    with c.read() as conn:
        names = {i["sku_id"]: f'{i["name"]} {i["spec"]}'.strip()
                 for i in planning_views.lineup_view(conn, sid)}
    return names.get(sku_id, "")


@router.post("/console/{sid}/price/{sku_id}", response_class=HTMLResponse)
def web_price(sid: str, sku_id: str, request: Request, c: ContainerDep, price: Text,
              reason: Text = "", override: Text = "", override_reason: Text = "",
              token: Token = None) -> Response:
    forced = override == "1"
    return _act(request, c, token, sid, lambda: ChangePrice(
        sid, sku_id, yuan_to_fen(price), reason=reason.strip(), override=forced,
        override_reason=override_reason.strip()),
        N_("Price changed") if not forced else N_("Price overridden and audited"),
        product=_product(c, sid, sku_id), template="row_message.html")


@router.post("/console/{sid}/list/{sku_id}", response_class=HTMLResponse)
def web_list(sid: str, sku_id: str, request: Request, c: ContainerDep,
             listed: Annotated[bool, Form()], token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetListed(sid, sku_id, listed),
                N_("Listed") if listed else N_("Unlisted"), product=_product(c, sid, sku_id))


@router.post("/console/{sid}/explain/{sku_id}", response_class=HTMLResponse)
def web_explain(sid: str, sku_id: str, request: Request, c: ContainerDep,
                token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: ExplainSku(sid, sku_id),
                N_("Now explaining"), product=_product(c, sid, sku_id))


@router.post("/console/{sid}/flash", response_class=HTMLResponse)
def web_flash(sid: str, request: Request, c: ContainerDep, sku_id: Text, price: Text,
              quantity: Annotated[int, Form(ge=1)], limit: Annotated[int, Form(ge=1)] = 1,
              token: Token = None) -> Response:
    return _act(request, c, token, sid,
                lambda: CreateFlashSale(sid, sku_id, yuan_to_fen(price), quantity, limit),
                N_("Flash sale created"), product=_product(c, sid, sku_id))


@router.post("/console/{sid}/flash-sales/{fid}/{to}", response_class=HTMLResponse)
def web_flash_status(sid: str, fid: str, to: str, request: Request, c: ContainerDep,
                     token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetFlashSaleStatus(fid, to),
                N_("Flash sale started") if to == "start" else N_("Flash sale paused"))


@router.post("/console/{sid}/coupons", response_class=HTMLResponse)
def web_coupon(sid: str, request: Request, c: ContainerDep, name: Text, kind: Text,
               discount: Text, total: Annotated[int, Form(ge=1)], threshold: Text = "0",
               per_buyer: Annotated[int, Form(ge=1)] = 1,
               minutes: Annotated[int, Form(ge=1, le=24 * 60)] = 60,
               token: Token = None) -> Response:
    now = c.clock.now()
    return _act(request, c, token, sid, lambda: CreateCoupon(
        sid, name.strip(), kind, yuan_to_fen(discount, "discount"), total,
        valid_from=now, valid_until=now + timedelta(minutes=minutes),
        threshold_fen=yuan_to_fen(threshold or "0", "threshold") if kind == "threshold" else 0,
        per_buyer_limit=per_buyer, issue_now=True), N_("Coupon issued"))


@router.post("/console/{sid}/coupons/{cid}/{status}", response_class=HTMLResponse)
def web_coupon_status(sid: str, cid: str, status: str, request: Request, c: ContainerDep,
                      token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetCouponStatus(cid, status),
                N_("Coupon updated"))


@router.post("/console/{sid}/ladders", response_class=HTMLResponse)
def web_ladder(sid: str, request: Request, c: ContainerDep, sku_id: Text, steps: Text,
               token: Token = None) -> Response:
    """Steps typed as '100:189, 300:179': after 100 sold ¥189, after 300 sold ¥179."""
    def command() -> CreateLadder:
        parsed: list[tuple[int, int]] = []
        for chunk in steps.replace("，", ",").replace("：", ":").split(","):
            sold, _, price = chunk.partition(":")
            if not sold.strip().isdigit() or not price.strip():
                raise Invalid(f"ladder step {chunk!r}", code="invalid_ladder", field="steps")
            parsed.append((int(sold), yuan_to_fen(price, "steps")))
        return CreateLadder(sid, sku_id, parsed)
    return _act(request, c, token, sid, command, N_("Price ladder set"),
                product=_product(c, sid, sku_id))


@router.post("/console/{sid}/ladders/{lid}/advance", response_class=HTMLResponse)
def web_ladder_advance(sid: str, lid: str, request: Request, c: ContainerDep,
                       token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: AdvanceLadder(lid), N_("Next ladder price"))


@router.post("/console/{sid}/announce", response_class=HTMLResponse)
def web_announce(sid: str, request: Request, c: ContainerDep, text: Text,
                 token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: Announce(sid, text.strip(), pinned=True),
                N_("Announcement pinned"))


@router.post("/console/{sid}/state/{to}", response_class=HTMLResponse)
def web_state(sid: str, to: str, request: Request, c: ContainerDep,
              token: Token = None) -> Response:
    """Going live answers with the checklist items still open, named in the toast."""
    done = {"rehearse": N_("Rehearsal started"), "start": N_("On air"),
            "end": N_("The show has ended")}
    actor = web_writer(request, c, token)
    try:
        out = c.bus.handle(TransitionSession(sid, to), actor)
    except DomainError as exc:
        return render(request, "toast.html", {"error": exc, "sid": sid})
    unticked = [i for w in out.get("warnings", []) for i in w.get("items", [])]
    return render(request, "toast.html", {"ok": done.get(to, N_("Done")), "sid": sid,
                                          "unticked": unticked})


@router.post("/console/{sid}/questions/{card_id}/{action}", response_class=HTMLResponse)
def web_card(sid: str, card_id: str, action: str, request: Request, c: ContainerDep,
             token: Token = None) -> Response:
    moves: dict[str, Callable[[], Any]] = {
        # The host answers on air; the card records that, not a typed reply.
        "answer": lambda: comment_cmds.AnswerCard(card_id, text="主播已口播回答"),
        "dismiss": lambda: comment_cmds.DismissCard(card_id)}
    if action not in moves:
        raise Invalid("action must be answer or dismiss", field="action")
    return _act(request, c, token, sid, moves[action],
                N_("Answered") if action == "answer" else N_("Dismissed"))


@router.post("/console/{sid}/comments/{comment_id}/{action}", response_class=HTMLResponse)
def web_comment(sid: str, comment_id: str, action: str, request: Request, c: ContainerDep,
                buyer_id: Text = "", text: Text = "", token: Token = None) -> Response:
    """One click on a comment: answer it in the room, pin its text, hide it, mute or ban
    its author, open a 1-to-1 after-sales ticket."""
    moves: dict[str, tuple[Callable[[], Any], str]] = {
        "reply": (lambda: comment_cmds.ReplyToComment(sid, comment_id, text),
                  N_("Reply sent to the room")),
        "pin": (lambda: Announce(sid, text.strip()[:200], pinned=True),
                N_("Announcement pinned")),
        "hide": (lambda: comment_cmds.HideComment(comment_id, "console"), N_("Comment hidden")),
        "mute": (lambda: comment_cmds.ModerateBuyer(sid, buyer_id, "mute", 10, "console"),
                 N_("Muted for 10 minutes")),
        "ban": (lambda: comment_cmds.ModerateBuyer(sid, buyer_id, "ban", None, "console"),
                N_("Banned from this show")),
        "ticket": (lambda: comment_cmds.OpenTicket(comment_id), N_("Ticket opened"))}
    if action not in moves:
        raise Invalid("unknown comment action", field="action")
    command, ok = moves[action]
    return _act(request, c, token, sid, command, ok)


@router.post("/console/{sid}/alerts/{alert_id}/ack", response_class=HTMLResponse)
def web_alert_ack(sid: str, alert_id: str, request: Request, c: ContainerDep,
                  token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: AcknowledgeAlert(sid, alert_id),
                N_("Alert acknowledged"))


@router.post("/console/{sid}/luckybag", response_class=HTMLResponse)
def web_luckybag(sid: str, request: Request, c: ContainerDep, keyword: Text,
                 winners: Annotated[int, Form(ge=1)] = 10,
                 minutes: Annotated[int, Form(ge=1, le=60)] = 5,
                 token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: comment_cmds.CreateLottery(
        sid, keyword.strip(), "lottery", winners, None, minutes * 60), N_("Lucky bag launched"))


@router.post("/console/{sid}/lotteries/{lid}/draw", response_class=HTMLResponse)
def web_draw(sid: str, lid: str, request: Request, c: ContainerDep,
             token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: comment_cmds.DrawLottery(lid), N_("Drawn"))


@router.post("/console/{sid}/incidents", response_class=HTMLResponse)
def web_incident(sid: str, request: Request, c: ContainerDep, kind: Text,
                 note: Annotated[str, Form(max_length=2000)] = "",
                 token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: OpenIncident(sid, kind, note.strip()),
                N_("Incident opened: the timer is running"))


@router.post("/console/{sid}/incidents/{iid}/resolve", response_class=HTMLResponse)
def web_incident_resolve(sid: str, iid: str, request: Request, c: ContainerDep,
                         token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: ResolveIncident(iid), N_("Incident resolved"))
