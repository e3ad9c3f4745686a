"""A small demo end to end: set up through the API, simulate, and check that the numbers
printed agree with the orders stored."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sqlalchemy import create_engine, select

from liveroom.adapters.sql.schema_orders import orders
from liveroom.config import Settings
from liveroom.entrypoints.cli.demo import run_demo


def test_a_small_demo_runs_and_its_numbers_match_the_stored_orders(tmp_path):
    db = tmp_path / "demo.db"
    settings = Settings(database_url=f"sqlite:///{db}", var_dir=tmp_path / "var")
    summary = asyncio.run(run_demo(settings, viewers=200, seed=3, speed=0,
                                   live_display=False))
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(select(orders.c.status, orders.c.total_fen, orders.c.paid_at)
                            .where(orders.c.kind != "import")).all()  # the show's own
        imported = conn.execute(select(orders.c.id).where(orders.c.kind == "import")).all()
    engine.dispose()
    paid = [r for r in rows if r.status == "paid"]
    h = summary["headline"]
    assert summary["numbers_agree_with_orders"]
    assert (h["orders"], h["paid_orders"]) == (len(rows), len(paid))
    assert h["gmv_fen"] == sum(r.total_fen for r in paid) > 0
    assert h["unique_viewers"] == 200 and summary["session"]["status"] == "ended"
    assert summary["simulation"]["missing_routes"] == []
    assert summary["simulation"]["flash_attempts"] > 0
    assert imported  # returning members bought before the show
    md, js, review_html, review_xlsx = (Path(f) for f in summary["files"])
    assert summary["review_headline"]["gmv_fen"] == h["gmv_fen"]
    assert "复盘" in review_html.read_text(encoding="utf-8") and review_xlsx.stat().st_size
    assert "GMV" in md.read_text(encoding="utf-8")
    assert json.loads(js.read_text(encoding="utf-8"))["headline"]["gmv_fen"] == h["gmv_fen"]
