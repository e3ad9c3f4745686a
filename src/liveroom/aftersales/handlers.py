"""After-sales handlers: a buyer's request, the service's decisions, the goods coming back.

Each one locks the case (and the order), applies the pure rule from ``model.py``, moves the
money through ``orders.refunds`` (the same path as the operator's refund), keeps the case's
ticket and its SLA timestamps, writes the audit trail (who, when, before → after) and the
outbox events, and commits. Flash-sale units given back are returned to the caller, which
tells the stock ledger after the commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import insert, select, update

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.adapters.sql.schema_aftersales import after_sales, replacement_shipments
from liveroom.adapters.sql.schema_comments import aftersales_tickets
from liveroom.adapters.sql.tickets_repo import TicketsRepo, ticket_of
from liveroom.aftersales import model
from liveroom.aftersales.commands import (
    AnswerAfterSale,
    ApproveAfterSale,
    ReceiveReturn,
    RejectAfterSale,
    RequestAfterSale,
    SweepSlaBreaches,
)
from liveroom.aftersales.events import AfterSaleChanged, AfterSaleRefunded
from liveroom.aftersales.model import Kind, Stage, Status
from liveroom.aftersales.sweep import sweep_sla_breaches
from liveroom.comments import tickets
from liveroom.core.bus import Context
from liveroom.core.clock import as_aware
from liveroom.core.errors import Conflict, Invalid, NotFound
from liveroom.core.ids import new_id
from liveroom.identity.model import SYSTEM
from liveroom.inventory.ledger import Held
from liveroom.orders import closing, refunds
from liveroom.orders.handlers import take_stock
from liveroom.orders.pricing import Line

MAX_EVIDENCE = 9


@dataclass(frozen=True)
class Outcome:
    reply: dict[str, Any]
    held: list[Held] = field(default_factory=list)  # flash units for the stock ledger


@dataclass(frozen=True)
class Step:
    """Who carries a move out, and with which payment provider."""

    who: Any  # an operator Actor, or SYSTEM when the rules decided
    payments: Any
    auto: bool = False


@dataclass(frozen=True)
class BuyerParty:
    """The buyer as the audit trail names them (buyers are not operators)."""

    id: str
    name: str
    role: model.PartyRole = model.PartyRole.BUYER


# -- the buyer's request ----------------------------------------------------------------------
def request_after_sale(cmd: RequestAfterSale, uow: Any, ctx: Context,
                       payments: Any) -> Outcome:
    kind = _kind(cmd.kind)
    if len(cmd.evidence) > MAX_EVIDENCE:
        raise Invalid(f"at most {MAX_EVIDENCE} pieces of evidence", field="evidence")
    row = closing.load(uow, cmd.order_id, lock=True)
    closing.own(row, cmd.buyer_id)
    now = ctx.clock.now()
    verdict = model.assess(kind, cmd.amount_fen, order_facts(uow, row), now)
    if cmd.exchange_sku_id:
        if kind != Kind.EXCHANGE:
            raise Invalid("only an exchange names another SKU", field="exchange_sku_id")
        _same_product(uow, row, cmd.exchange_sku_id)
    case_id, ticket_id = new_id(), new_id()
    uow.execute(insert(aftersales_tickets).values(
        id=ticket_id, session_id=row.session_id, comment_id=None, order_id=row.id,
        buyer_id=row.buyer_id, subject=cmd.reason or kind.value, status="open",
        assignee=None, opened_by="buyer", created_at=now))
    case = dict(id=case_id, order_id=row.id, buyer_id=row.buyer_id, session_id=row.session_id,
                ticket_id=ticket_id, kind=kind.value, reason=cmd.reason,
                amount_fen=verdict.amount_fen, evidence=[asdict(e) for e in cmd.evidence],
                exchange_sku_id=cmd.exchange_sku_id, status=Status.PENDING_REVIEW.value,
                stage=Stage.REVIEW.value, auto=False, hold_reason=verdict.hold_reason,
                open_order_id=row.id, refunded_fen=0, created_at=now)
    # Inserted open first, whatever the verdict: the unique open_order_id refuses a second
    # open case on this order even when this one is decided at once.
    added = uow.execute(insert_ignoring_duplicates(uow.conn, after_sales).values(case)
                        .returning(after_sales.c.id)).first()
    if added is None:
        raise Conflict("this order already has an open after-sales request",
                       code="aftersales_already_open", order_id=row.id)
    party = BuyerParty(row.buyer_id[:32], row.buyer_id)  # the audit's id column is 32 wide
    uow.audit.record(party, "aftersales.request", session_id=row.session_id, target=case_id,
                     after={"kind": kind.value, "amount_fen": verdict.amount_fen,
                            "reason": cmd.reason, "hold_reason": verdict.hold_reason})
    held: list[Held] = []
    if verdict.auto:
        # Decided by the rules: the system is who approved it.
        held = _apply(uow, ctx, Step(SYSTEM, payments, auto=True), _load(uow, case_id), row,
                      model.Move(verdict.status, verdict.stage,
                                 refund_now=verdict.stage == Stage.REFUNDED),
                      "approve", "符合规则，自动通过 approved by the standard rules")
    else:
        uow.emit(AfterSaleChanged(case_id, row.id, row.buyer_id, kind.value,
                                  Status.PENDING_REVIEW.value, Stage.REVIEW.value))
    out = _load(uow, case_id)
    uow.commit()
    return Outcome(case_reply(out), held)


def order_facts(uow: Any, row: Any) -> model.OrderFacts:
    shipping = row.shipping or {}
    since = shipping.get("updated_at")
    sku_ids = [i["sku_id"] for i in row.items]
    categories = uow.execute(select(t.products.c.category).join(
        t.skus, t.skus.c.product_id == t.products.c.id).where(t.skus.c.id.in_(sku_ids))
    ).scalars().all()
    days = min((model.no_reason_days(c) for c in categories), default=0)
    return model.OrderFacts(row.status, int(row.total_fen), int(row.refunded_fen or 0),
                            shipping.get("status"),
                            as_aware(datetime.fromisoformat(since)) if since else None, days)


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError as exc:
        raise Invalid("kind is refund_only, return or exchange", code="invalid_kind",
                      field="kind") from exc


def _same_product(uow: Any, row: Any, sku_id: str) -> None:
    s = t.skus.c
    wanted = uow.execute(select(s.product_id).where(s.id == sku_id)).scalar()
    ordered = set(uow.execute(select(s.product_id).where(
        s.id.in_([i["sku_id"] for i in row.items]))).scalars())
    if wanted is None or wanted not in ordered:
        raise Invalid("an exchange is for another SKU of the same product",
                      code="exchange_sku_invalid", field="exchange_sku_id")


# -- the service's decisions ------------------------------------------------------------------
def approve_after_sale(cmd: ApproveAfterSale, uow: Any, ctx: Context,
                       payments: Any) -> Outcome:
    case = _load(uow, cmd.case_id, lock=True)
    move = model.approve(Kind(case.kind), case.stage)
    return _decide(uow, ctx, Step(ctx.actor, payments), case, move, "approve",
                   cmd.note or "已同意 approved")


def reject_after_sale(cmd: RejectAfterSale, uow: Any, ctx: Context) -> Outcome:
    case = _load(uow, cmd.case_id, lock=True)
    if not cmd.note.strip():
        raise Invalid("say why the request is rejected", code="reason_required", field="note")
    return _decide(uow, ctx, Step(ctx.actor, None), case, model.reject(case.stage),
                   "reject", cmd.note)


def receive_return(cmd: ReceiveReturn, uow: Any, ctx: Context, payments: Any) -> Outcome:
    case = _load(uow, cmd.case_id, lock=True)
    move = model.receive(Kind(case.kind), case.stage)
    return _decide(uow, ctx, Step(ctx.actor, payments), case, move, "receive",
                   cmd.note or "已收到退回商品 goods received")


def answer_after_sale(cmd: AnswerAfterSale, uow: Any, ctx: Context) -> Outcome:
    if not cmd.message.strip():
        raise Invalid("the answer is empty", field="message")
    case = _load(uow, cmd.case_id, lock=True)
    _ticket(uow, ctx, ctx.actor, case, "respond", cmd.message,
            lambda tk: tickets.respond(tk, ctx.clock.now()))
    uow.audit.record(ctx.actor, "aftersales.answer", session_id=case.session_id,
                     target=case.id, after={"message": cmd.message})
    uow.commit()
    return Outcome(case_reply(case))


def _decide(uow: Any, ctx: Context, step: Step, case: Any, move: model.Move, action: str,
            note: str) -> Outcome:
    order = closing.load(uow, case.order_id, lock=True)
    held = _apply(uow, ctx, step, case, order, move, action, note)
    out = _load(uow, case.id)
    uow.commit()
    return Outcome(case_reply(out), held)


def _apply(uow: Any, ctx: Context, step: Step, case: Any, order: Any, move: model.Move,
           action: str, note: str) -> list[Held]:
    """Carry a move out: money, stock, replacement; then the case, its ticket, the audit."""
    now, who = ctx.clock.now(), step.who
    changes: dict[str, Any] = {"status": move.status.value, "stage": move.stage.value}
    if action in ("approve", "reject"):
        changes.update(decided_by=who.name, decided_at=now, decision_note=note,
                       auto=step.auto)
    if action == "receive":
        changes["received_at"] = now
    held: list[Held] = []
    if move.refund_now:
        done = _refund(uow, ctx, step.payments, case, order)
        held = done.held
        changes.update(refunded_fen=done.amount_fen, refund_ref=done.reference)
    if move.stage == Stage.REPLACEMENT_CREATED:
        _exchange(uow, ctx, case, order, who)
    if not model.is_open(move.stage):
        changes.update(open_order_id=None, closed_at=now)
    moved = uow.execute(update(after_sales).where(after_sales.c.id == case.id,
                                                   after_sales.c.stage == case.stage)
                        .values(changes))
    if moved.rowcount != 1:
        raise Conflict("the case changed meanwhile; reload it", code="aftersales_changed")
    if action in ("approve", "reject"):
        _ticket(uow, ctx, who, case, "close", note, lambda tk: tickets.close(tk, note, now))
    else:
        TicketsRepo(uow.conn).add_message(case.ticket_id, action, note, who.name, now)
    uow.audit.record(who, f"aftersales.{action}", session_id=case.session_id, target=case.id,
                     before={"status": case.status, "stage": case.stage},
                     after={k: (v.isoformat() if isinstance(v, datetime) else v)
                            for k, v in changes.items()})
    uow.emit(AfterSaleChanged(case.id, case.order_id, case.buyer_id, case.kind,
                              move.status.value, move.stage.value))
    return held


def _refund(uow: Any, ctx: Context, payments: Any, case: Any, order: Any) -> refunds.Refund:
    left = refunds.refundable_fen(order)
    amount = int(case.amount_fen)
    model.check_amount(amount, left)
    kind = Kind(case.kind)
    shipped = model.is_shipped((order.shipping or {}).get("status"))
    # A return (goods received back) or an unshipped order: the units go back on sale.
    # A refund-only on shipped goods leaves them with the buyer.
    restock = kind == Kind.RETURN or not shipped
    done = refunds.refund(uow, payments, order, amount, ctx.clock.now(),
                          close_order=kind == Kind.RETURN or amount == left, restock=restock)
    uow.emit(AfterSaleRefunded(case.id, order.id, order.session_id, order.buyer_id,
                               case.kind, amount, [i["sku_id"] for i in order.items]))
    return done


def _exchange(uow: Any, ctx: Context, case: Any, order: Any, who: Any) -> None:
    """The returned units back into stock, the replacement taken and recorded to ship."""
    s = t.skus.c
    items = []
    for item in order.items:
        qty = int(item["quantity"])
        uow.execute(update(t.skus).where(s.id == item["sku_id"]).values(stock=s.stock + qty))
        sku = case.exchange_sku_id if case.exchange_sku_id and _sibling(
            uow, item["sku_id"], case.exchange_sku_id) else item["sku_id"]
        take_stock(uow, Line(sku, qty, int(item["unit_price_fen"])), ctx)
        items.append({"sku_id": sku, "quantity": qty})
    uow.execute(insert(replacement_shipments).values(
        id=new_id(), case_id=case.id, order_id=order.id, items=items, status="pending",
        created_by=who.name, created_at=ctx.clock.now()))


def _sibling(uow: Any, sku_a: str, sku_b: str) -> bool:
    s = t.skus.c
    owners = set(uow.execute(select(s.product_id).where(s.id.in_([sku_a, sku_b]))).scalars())
    return len(owners) == 1


def _ticket(uow: Any, ctx: Context, who: Any, case: Any, action: str, body: str,
            transition: Any) -> None:
    repo = TicketsRepo(uow.conn)
    before = ticket_of(repo.get(case.ticket_id, lock=True))
    if before.status != "completed":  # an answer after the decision is still kept
        repo.save(before, transition(before))
    repo.add_message(case.ticket_id, action, body, who.name, ctx.clock.now())


def _load(uow: Any, case_id: str, *, lock: bool = False) -> Any:
    q = select(after_sales).where(after_sales.c.id == case_id)
    row = uow.execute(q.with_for_update() if lock else q).first()
    if row is None:
        raise NotFound(f"no after-sales case {case_id}", code="aftersales_not_found")
    return row


def case_reply(row: Any) -> dict[str, Any]:
    return {"id": row.id, "order_id": row.order_id, "kind": row.kind, "status": row.status,
            "stage": row.stage, "amount_fen": int(row.amount_fen),
            "refunded_fen": int(row.refunded_fen), "auto": bool(row.auto),
            "hold_reason": row.hold_reason}


def handlers(payments: Any) -> dict[type, Any]:
    """The bus's handlers; the ones that may pay money back get the payment provider."""
    paying: dict[type, Callable[..., Outcome]] = {
        RequestAfterSale: request_after_sale, ApproveAfterSale: approve_after_sale,
        ReceiveReturn: receive_return}
    return {**{cls: partial(fn, payments=payments) for cls, fn in paying.items()},
            RejectAfterSale: reject_after_sale, AnswerAfterSale: answer_after_sale,
            SweepSlaBreaches: sweep_sla_breaches}
