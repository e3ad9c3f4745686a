"""Storage of comments and everything around them. Comment rows are written in batches
(one executemany per pipeline flush); entries are upserts (one per buyer and game)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from liveroom.adapters.sql import schema_comments as tc
from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.adapters.sql.schema_orders import orders
from liveroom.comments.alerts import Alert
from liveroom.comments.model import Comment, CommentAnalysis, FaqEntry
from liveroom.comments.normalize import normalize
from liveroom.comments.room import CardAction, LotteryWindow, ProcessedComment
from liveroom.core.clock import as_aware
from liveroom.core.errors import NotFound
from liveroom.core.ids import new_id

REPLAY_CHUNK = 5000


_COMPILED: dict[tuple[str, tuple[str, ...]], tuple[str, list[tuple[str, Any, Any]]]] = {}


def _sqlite_executemany(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """``conn.execute(insert(table), rows)`` without SQLAlchemy's per-row parameter work.

    Core rebuilds and type-processes a parameter dict per row (~30 µs a comment, the largest
    cost of the flush after the queue index). Here the statement is compiled once per column
    set and each row becomes a tuple through the same bind processors Core would apply
    (datetime → text, JSON → text), then goes to the driver's executemany."""
    keys = tuple(rows[0])
    cached = _COMPILED.get((table.name, keys))
    if cached is None:
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(keys))
        order = list(compiled.positiontup or ())
        processors = [table.c[key].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                      for key in order]
        # Columns left out of the rows but holding a Python default are bound too, as Core
        # would: their value comes from the compiled defaults.
        defaults = {key: compiled.params.get(key) for key in order}
        cached = _COMPILED[(table.name, keys)] = (str(compiled), [
            (key, proc, defaults[key]) for key, proc in zip(order, processors, strict=True)])
    sql, columns = cached
    conn.exec_driver_sql(sql, [
        tuple(proc(value) if proc is not None and value is not None else value
              for key, proc, default in columns
              for value in (row.get(key, default),))
        for row in rows])


def comment_row(p: ProcessedComment, received_at: datetime, source: str) -> dict[str, Any]:
    c, a = p.comment, p.analysis
    return {
        "id": c.id, "session_id": c.session_id, "seq": p.seq, "client_id": p.client_id,
        "buyer_id": c.buyer_id, "nickname": c.nickname, "text": c.text, "ts": c.ts,
        "received_at": received_at, "source": source, "intent": a.intent,
        "sensitive": a.sensitive, "risk_terms": list(a.risk_terms), "sentiment": a.sentiment,
        "sentiment_score": a.sentiment_score, "purchase_intent": a.purchase_intent,
        "item_ref": a.item_ref, "language": a.language, "spam": a.spam, "faq_id": a.faq_id,
        "confidence": a.confidence, "queued": p.queued, "flagged": p.flagged,
        "hidden": False,
    }


def _processed(r: Any) -> ProcessedComment:
    comment = Comment(r.id, r.session_id, r.buyer_id, r.nickname, r.text, as_aware(r.ts))
    analysis = CommentAnalysis(
        intent=r.intent, sensitive=r.sensitive, risk_terms=list(r.risk_terms or []),
        sentiment=r.sentiment, sentiment_score=r.sentiment_score,
        purchase_intent=r.purchase_intent, item_ref=r.item_ref, language=r.language,
        spam=r.spam, faq_id=r.faq_id, confidence=r.confidence)
    return ProcessedComment(comment, analysis, r.seq, r.client_id, r.queued, r.flagged)


class CommentsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- the pipeline's writes -----------------------------------------------------------
    def add_comments(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.conn.dialect.name == "sqlite":
            _sqlite_executemany(self.conn, tc.comments, rows)
        else:  # psycopg batches executemany itself (insertmanyvalues); no gain to chase
            self.conn.execute(insert(tc.comments), rows)

    def add_alerts(self, session_id: str, alerts: list[Alert], now: datetime) -> list[str]:
        ids = [new_id() for _ in alerts]
        if alerts:
            self.conn.execute(insert(tc.comment_alerts), [
                {"id": i, "session_id": session_id, "kind": a.kind, "severity": a.severity,
                 "message": a.message, "comment_ids": list(a.comment_ids),
                 "terms": list(a.terms), "ts": a.ts, "created_at": now}
                for i, a in zip(ids, alerts, strict=True)])
        return ids

    def add_entries(self, entries: list[tuple[str, str, str, datetime]]) -> None:
        if entries:
            self.conn.execute(insert_ignoring_duplicates(self.conn, tc.lottery_entries), [
                {"lottery_id": g, "buyer_id": b, "comment_id": c, "ts": ts}
                for g, b, c, ts in entries])

    # -- buyer value for the question queue ----------------------------------------------
    def paid_by_buyer(self, session_id: str) -> dict[str, int]:
        """Paid GMV (fen) per buyer in the session; refunded/cancelled orders do not count.
        One grouped scan over the session's orders (ix_orders_session_created)."""
        rows = self.conn.execute(
            select(orders.c.buyer_id, func.sum(orders.c.total_fen))
            .where(orders.c.session_id == session_id, orders.c.status == "paid",
                   orders.c.test.is_(False))
            .group_by(orders.c.buyer_id)).all()
        return {buyer: int(total or 0) for buyer, total in rows}

    # -- rebuilding a room ---------------------------------------------------------------
    def replay_rows(self, session_id: str) -> Iterator[ProcessedComment]:
        last = 0
        while True:  # keyset pages: a long session does not load into one result set
            rows = self.conn.execute(
                select(tc.comments).where(tc.comments.c.session_id == session_id,
                                          tc.comments.c.seq > last)
                .order_by(tc.comments.c.seq).limit(REPLAY_CHUNK)).all()
            for r in rows:
                yield _processed(r)
            if len(rows) < REPLAY_CHUNK:
                return
            last = rows[-1].seq

    def card_actions(self, session_id: str) -> list[CardAction]:
        q = (select(tc.question_card_actions)
             .where(tc.question_card_actions.c.session_id == session_id)
             .order_by(tc.question_card_actions.c.id))
        return [CardAction(r.card, r.action, r.value, r.after_seq) for r in self.conn.execute(q)]

    def add_card_action(self, session_id: str, action: CardAction, actor: str,
                        at: datetime) -> None:
        self.conn.execute(insert(tc.question_card_actions).values(
            session_id=session_id, card=action.card, action=action.action, value=action.value,
            after_seq=action.after_seq, actor=actor, at=at))

    # -- FAQ, settings, moderation -------------------------------------------------------
    def faq(self, session_id: str) -> list[dict[str, Any]]:
        q = (select(tc.comment_faq).where(tc.comment_faq.c.session_id == session_id)
             .order_by(tc.comment_faq.c.position))
        return [{"id": r.faq_id, "question": r.question, "answer": r.answer,
                 "sku_id": r.sku_id} for r in self.conn.execute(q)]

    def replace_faq(self, session_id: str, entries: list[dict[str, Any]]) -> None:
        self.conn.execute(tc.comment_faq.delete().where(
            tc.comment_faq.c.session_id == session_id))
        if entries:
            self.conn.execute(insert(tc.comment_faq), [
                {"session_id": session_id, "faq_id": e["id"], "position": i,
                 "question": e["question"], "answer": e["answer"], "sku_id": e.get("sku_id")}
                for i, e in enumerate(entries)])

    def settings(self, session_id: str) -> tuple[bool, int]:
        row = self.conn.execute(select(tc.comment_settings).where(
            tc.comment_settings.c.session_id == session_id)).first()
        return (row.autoreply_enabled, row.autoreply_per_minute) if row else (False, 10)

    def save_settings(self, session_id: str, enabled: bool, per_minute: int,
                      now: datetime) -> None:
        values = {"autoreply_enabled": enabled, "autoreply_per_minute": per_minute,
                  "updated_at": now}
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(tc.comment_settings).values(session_id=session_id, **values)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["session_id"],
                                                     set_=values))

    def moderation(self, session_id: str) -> list[Any]:
        return list(self.conn.execute(select(tc.comment_moderation).where(
            tc.comment_moderation.c.session_id == session_id)
            .order_by(tc.comment_moderation.c.id)).all())

    def add_moderation(self, **values: Any) -> None:
        self.conn.execute(insert(tc.comment_moderation).values(**values))

    # -- single comments -----------------------------------------------------------------
    def comment(self, comment_id: str) -> Any:
        row = self.conn.execute(select(tc.comments).where(tc.comments.c.id == comment_id)).first()
        if row is None:
            raise NotFound(f"no comment {comment_id}", code="comment_not_found")
        return row

    def hide(self, comment_id: str, actor: str, reason: str, now: datetime) -> None:
        self.conn.execute(update(tc.comments).where(tc.comments.c.id == comment_id).values(
            hidden=True, hidden_at=now, hidden_by=actor, hidden_reason=reason))

    # -- keyword games -------------------------------------------------------------------
    def add_lottery(self, **values: Any) -> None:
        self.conn.execute(insert(tc.comment_lotteries).values(**values))

    def lottery(self, lottery_id: str, *, lock: bool = False) -> Any:
        q = select(tc.comment_lotteries).where(tc.comment_lotteries.c.id == lottery_id)
        row = self.conn.execute(q.with_for_update() if lock else q).first()
        if row is None:
            raise NotFound(f"no lottery {lottery_id}", code="lottery_not_found")
        return row

    def open_games(self, session_id: str) -> list[tuple[LotteryWindow, list[str]]]:
        rows = self.conn.execute(select(tc.comment_lotteries).where(
            tc.comment_lotteries.c.session_id == session_id,
            tc.comment_lotteries.c.status == "open")).all()
        out = []
        for r in rows:
            game = LotteryWindow(r.id, keyword_key(r.keyword), as_aware(r.starts_at),
                                 as_aware(r.ends_at))
            out.append((game, self.entrants(r.id)))
        return out

    def entrants(self, lottery_id: str) -> list[str]:
        q = (select(tc.lottery_entries.c.buyer_id)
             .where(tc.lottery_entries.c.lottery_id == lottery_id)
             .order_by(tc.lottery_entries.c.buyer_id))
        return list(self.conn.execute(q).scalars())

    def entrants_count(self, lottery_id: str) -> int:
        return int(self.conn.execute(select(func.count()).select_from(tc.lottery_entries)
                                     .where(tc.lottery_entries.c.lottery_id == lottery_id))
                   .scalar_one())

    def mark_drawn(self, lottery_id: str, winners: list[str], entrants: int,
                   now: datetime) -> None:
        self.conn.execute(update(tc.comment_lotteries)
                          .where(tc.comment_lotteries.c.id == lottery_id)
                          .values(status="drawn", winners=winners, entrants_count=entrants,
                                  drawn_at=now))

    # -- tickets and connectors ----------------------------------------------------------
    def add_ticket(self, **values: Any) -> None:
        self.conn.execute(insert(tc.aftersales_tickets).values(**values))

    def add_connector(self, **values: Any) -> None:
        self.conn.execute(insert(tc.comment_connectors).values(**values))

    def connector(self, connector_id: str) -> Any:
        row = self.conn.execute(select(tc.comment_connectors).where(
            tc.comment_connectors.c.id == connector_id,
            tc.comment_connectors.c.revoked_at.is_(None))).first()
        if row is None:
            raise NotFound(f"no connector {connector_id}", code="connector_not_found")
        return row


def keyword_key(keyword: str) -> str:
    return normalize(keyword).replace(" ", "")


def faq_entries(rows: list[dict[str, Any]]) -> list[FaqEntry]:
    return [FaqEntry(r["id"], r["question"], r["answer"]) for r in rows]
