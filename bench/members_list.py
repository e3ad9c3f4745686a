"""How long the member list takes as members grow: N buyers with 1–12 paid orders each and
their points, on SQLite; the list (RFM over everyone) and one member's detail.

    .venv/bin/python -m bench.members_list --members 1000 5000 20000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from liveroom.adapters.sql.schema_crm import member_points
from liveroom.adapters.sql.schema_orders import orders
from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.crm import views
from liveroom.crm.rules import tier_rules

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def fill(engine: object, members: int, rng: random.Random) -> None:
    rows, points = [], []
    for b in range(members):
        for k in range(rng.randint(1, 12)):
            at = NOW - timedelta(days=rng.uniform(0, 500))
            total = rng.randint(1_000, 100_000)
            oid = f"o{b}-{k}"
            rows.append(dict(id=oid, session_id="s", buyer_id=f"b{b}", kind="live",
                             idempotency_key=oid, status="paid", items=[], quantity=1,
                             subtotal_fen=total, total_fen=total, breakdown={}, coupon_ids=[],
                             contact={"name": "张三", "phone": "13800000000"},
                             created_at=at, expires_at=at, paid_at=at, refunded_fen=0))
            points.append(dict(id=oid, buyer_id=f"b{b}", order_id=oid, kind="earn",
                               points=total // 100, multiplier=1, at=at))
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(insert(orders), rows)
        conn.execute(insert(member_points), points)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, nargs="+", default=[1000, 5000])
    args = ap.parse_args()
    for n in args.members:
        with tempfile.TemporaryDirectory() as tmp:
            c = bootstrap(Settings(database_url=f"sqlite:///{Path(tmp) / 'm.db'}",
                                   var_dir=Path(tmp)), clock=FixedClock(NOW))
            fill(c.engine, n, random.Random(n))
            with c.read() as conn, conn.begin():
                t0 = time.perf_counter()
                page = views.page(conn, tier_rules(), NOW, tier=None, segment=None,
                                  limit=50, offset=0)
                t1 = time.perf_counter()
                views.member(conn, tier_rules(), NOW, "b1")
                t2 = time.perf_counter()
            c.close()
            print(f"members={page['total']} list_ms={1000 * (t1 - t0):.0f} "
                  f"detail_ms={1000 * (t2 - t1):.0f}")


if __name__ == "__main__":
    main()
