"""The SQLite bulk insert of comments stores exactly what SQLAlchemy Core would."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select

from liveroom.adapters.sql import schema_comments as tc
from liveroom.adapters.sql.comments_repo import _sqlite_executemany
from tests.factories import session


def test_bulk_insert_matches_core_row_for_row(container: Any, client: Any, tokens: Any) -> None:
    if container.engine.dialect.name != "sqlite":
        pytest.skip("the bulk path is SQLite only")
    sid = session(client, tokens["ops"])
    now = datetime(2026, 11, 27, 12, 0, 0, 123456, tzinfo=UTC)
    with container.engine.connect() as conn:
        conn.begin()

        def row(prefix: str, n: int) -> dict[str, Any]:
            return {"id": f"{prefix}{n}", "session_id": sid, "seq": n + (0 if prefix == "a"
                                                                          else 1000),
                    "client_id": None, "buyer_id": "b", "nickname": "" if n else "昵称",
                    "text": "尺码怎么选😀", "ts": now, "received_at": now, "source": "api",
                    "intent": "product_question", "sensitive": bool(n), "risk_terms": ["假货"],
                    "sentiment": "neu", "sentiment_score": 0.25, "purchase_intent": False,
                    "item_ref": None, "language": "zh", "spam": False, "faq_id": None,
                    "confidence": 0.9, "queued": True, "flagged": None, "hidden": False}

        conn.execute(insert(tc.comments), [row("a", n) for n in range(3)])
        _sqlite_executemany(conn, tc.comments, [row("b", n) for n in range(3)])
        stored = conn.execute(select(tc.comments).order_by(tc.comments.c.seq)).all()
        conn.rollback()
    core, bulk = stored[:3], stored[3:]
    skip = {"id", "seq"}
    assert [{k: v for k, v in r._mapping.items() if k not in skip} for r in core] == \
           [{k: v for k, v in r._mapping.items() if k not in skip} for r in bulk]
