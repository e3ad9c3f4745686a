"""The dead-letter table: a record a writer could not store (a poisoned order in a group
commit or in the Redis order stream), the reason, and the record itself, so that every
other record commits, nothing retries forever, and an operator can see what was set aside
(GET /api/v1/dead-letters, and an error in the log)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.sql.schema_orders import dead_letters
from liveroom.core.clock import as_aware
from liveroom.core.ids import new_id

log = logging.getLogger(__name__)
MAX_PAYLOAD = 20_000
MAX_REASON = 2_000


@dataclass(frozen=True)
class DeadLetter:
    source: str  # group_commit | order_stream | sql_ledger | comment_log
    record_id: str | None
    reason: str
    payload: Any  # the record: a JSON-able value, or the raw text it arrived as


def printable(value: Any, limit: int) -> str:
    """ASCII JSON of anything (NUL, controls and lone surrogates escaped): whatever poisoned
    the record cannot poison its dead letter too."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "backslashreplace")
    return json.dumps(value, ensure_ascii=True, default=str)[:limit]


def describe(exc: BaseException) -> str:
    text = f"{exc.__class__.__name__}: {exc}"
    return printable(text, MAX_REASON + 2)[1:-1][:MAX_REASON]


def insert_dead_letters(conn: Connection, letters: list[DeadLetter], now: datetime
                        ) -> list[dict[str, Any]]:
    """Insert them in the caller's transaction; the rows (with their ids) come back, for
    `log_dead_letters` once the transaction committed."""
    rows = [{"id": new_id(), "source": d.source,
             "record_id": None if d.record_id is None else printable(d.record_id, 66)[1:-1][:64],
             "reason": d.reason[:MAX_REASON], "payload": printable(d.payload, MAX_PAYLOAD),
             "created_at": now} for d in letters]
    if rows:
        conn.execute(insert(dead_letters), rows)
    return rows


def log_dead_letters(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        log.error("dead letter %s from %s (record %s): %s", row["id"], row["source"],
                  row["record_id"], row["reason"])


def record_dead_letters(engine: Engine, letters: list[DeadLetter], now: datetime) -> None:
    """Store and log them. If even that fails, the log still holds each record in full:
    the writer goes on (the records are already out of its batch), nothing is retried."""
    if not letters:
        return
    try:
        with engine.begin() as conn:
            rows = insert_dead_letters(conn, letters, now)
    except SQLAlchemyError:
        log.exception("could not store %d dead letters: %s", len(letters), letters)
        return
    log_dead_letters(rows)


def recent(conn: Connection, limit: int, offset: int) -> dict[str, Any]:
    d = dead_letters.c
    total = conn.execute(select(func.count()).select_from(dead_letters)).scalar_one()
    rows = conn.execute(select(dead_letters).order_by(d.created_at.desc(), d.id.desc())
                        .limit(limit).offset(offset)).all()
    return {"total": int(total), "items": [
        {"id": r.id, "source": r.source, "record_id": r.record_id, "reason": r.reason,
         "payload": r.payload, "created_at": as_aware(r.created_at).isoformat()} for r in rows]}
