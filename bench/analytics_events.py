"""A deterministic generator of a show's tracking log for the analytics benchmarks: N
events from N/10 viewers over a two-hour show, with the mix a live room produces (most
events are impressions, enters/leaves, product impressions and likes; few carts and
payments). Rows are written straight into tracking_events (SQLite executemany, PostgreSQL
COPY) so that loading 10M events takes minutes, not the ingest route's time."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

MIX = [("room_impression", 18), ("enter", 12), ("leave", 10), ("product_impression", 20),
       ("product_click", 8), ("add_to_cart", 3), ("comment", 6), ("like", 15),
       ("share", 2), ("follow", 2), ("payment_failure", 1), ("coupon_claim", 3)]
CHANNELS = ["douyin_feed", "followers", "wechat_group", "kol", ""]


def rows(n: int, sid: str, skus: list[str], start: datetime, seed: int = 1,
         first_seq: int = 1) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    viewers = max(1, n // 10)
    received = datetime.now(UTC) - timedelta(hours=1)
    for i in range(n):
        kind = rng.choice(kinds)
        buyer = f"v{rng.randrange(viewers)}"
        ts = start + timedelta(seconds=7200 * i / max(1, n))
        props: dict[str, Any] = {}
        if kind == "leave":
            props["dwell_seconds"] = rng.randrange(10, 900)
        elif kind == "like":
            props["count"] = rng.randrange(1, 20)
        sku = rng.choice(skus) if kind in ("product_impression", "product_click",
                                           "add_to_cart") else None
        yield (first_seq + i, f"bench-{seed}-{first_seq + i:010d}", sid, kind, 1, buyer, ts,
               rng.choice(CHANNELS), "", "", "", "", sku, json.dumps(props), received)


COLUMNS = ("seq", "event_id", "session_id", "type", "version", "buyer_id", "ts", "channel",
           "utm_source", "utm_medium", "utm_campaign", "utm_content", "sku_id", "props",
           "received_at")


def load(engine: Any, n: int, sid: str, skus: list[str], start: datetime,
         seed: int = 1, after: int = 0) -> None:
    """N events of the session, seq after every stored row and after `after`."""
    with engine.begin() as conn:
        first = max(after, int(conn.exec_driver_sql(
            "SELECT coalesce(max(seq), 0) FROM tracking_events").scalar_one())) + 1
        raw = conn.connection.dbapi_connection
        if engine.dialect.name == "postgresql":
            _copy_pg(raw, rows(n, sid, skus, start, seed, first))
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('tracking_events', "
                                 "'seq'), (SELECT max(seq) FROM tracking_events))")
            return
        fmt = "%Y-%m-%d %H:%M:%S.%f"
        cursor = raw.cursor()
        sql = (f"INSERT INTO tracking_events ({', '.join(COLUMNS)}) "
               f"VALUES ({', '.join('?' for _ in COLUMNS)})")
        batch: list[tuple[Any, ...]] = []
        for row in rows(n, sid, skus, start, seed, first):
            batch.append((*row[:6], row[6].strftime(fmt), *row[7:14], row[14].strftime(fmt)))
            if len(batch) == 100_000:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)
        cursor.close()


def _copy_pg(raw: Any, source: Iterator[tuple[Any, ...]]) -> None:
    cursor = raw.cursor()
    with cursor.copy(f"COPY tracking_events ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        buf = io.StringIO()
        for k, row in enumerate(source):
            buf.write("\t".join("\\N" if v is None else
                                v.isoformat() if isinstance(v, datetime) else str(v)
                                for v in row) + "\n")
            if k % 100_000 == 99_999:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    cursor.close()
