"""The 客服 page in a browser: the queue with its clocks (one case overdue, in red), and an
approval clicked through htmx."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, update

from liveroom.adapters.sql.schema_aftersales import after_sales
from liveroom.adapters.sql.schema_comments import aftersales_tickets
from liveroom.config import Settings
from liveroom.identity.model import issue_buyer_jwt
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose SLA breach job runs every half second, not every 30 s."""
    srv = Server(tmp_path_factory.mktemp("e2e-service"))
    srv.env["LIVEROOM_SLA_SWEEP_INTERVAL_S"] = "0.5"
    srv.start()
    yield srv
    srv.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def buyer_orders(server, admin: str, n: int) -> list[tuple[str, dict[str, str]]]:
    """A live show selling one pan; n buyers who each bought and paid one."""
    with httpx.Client(base_url=server.url, headers=bearer(admin)) as c:
        p = c.post("/api/v1/products", json={
            "name": "不粘炒锅", "category": "厨具", "tier": "profit",
            "skus": [{"code": "PAN-SVC", "spec": "28cm", "price_fen": 19900,
                      "cost_fen": 8000, "stock": 500}]}).json()
        sku = p["skus"][0]["id"]
        sid = c.post("/api/v1/sessions", json={
            "title": "周五厨房专场", "duration_minutes": 120,
            "scheduled_start": "2026-11-27T19:00:00+08:00"}).json()["id"]
        c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
            {"sku_id": sku, "live_price_fen": 15900}]}).raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
        c.post(f"/api/v1/sessions/{sid}/skus/{sku}/list").raise_for_status()
    secret = Settings().buyer_secret
    out = []
    with httpx.Client(base_url=server.url) as c:
        for i in range(n):
            h = bearer(issue_buyer_jwt(f"buyer-{i}", secret, datetime.now(UTC)))
            oid = c.post(f"/api/v1/sessions/{sid}/orders",
                         headers={**h, "Idempotency-Key": f"svc-{i}"},
                         json={"items": [{"sku_id": sku, "quantity": 1}],
                               "contact": {"name": ["王小明", "李娜", "张伟"][i % 3]}}
                         ).json()["order_id"]
            c.post(f"/api/v1/orders/{oid}/pay", headers=h).raise_for_status()
            out.append((oid, h))
    return out


def test_the_service_queue_in_the_browser(server, page, tmp_path):
    admin = server.cli("user", "add", "wang", "--role", "admin")
    cs = server.cli("user", "add", "xiaoli", "--role", "cs")
    orders = buyer_orders(server, admin, 3)
    with httpx.Client(base_url=server.url) as c:
        c.put(f"/api/v1/orders/{orders[1][0]}/shipping", headers=bearer(admin), json={
            "carrier": "SF", "tracking_no": "SF1001", "status": "delivered"}).raise_for_status()
        asks = [(orders[0], {"kind": "refund_only", "amount_fen": 3000, "reason": "锅底有划痕",
                             "evidence": [{"url": "https://img.example/pan.jpg"}]}),
                (orders[1], {"kind": "exchange", "reason": "想换 32cm"}),
                (orders[2], {"kind": "refund_only", "amount_fen": 5000, "reason": "价保差价"})]
        for (oid, h), body in asks:
            r = c.post(f"/api/v1/orders/{oid}/after-sales", headers=h, json=body)
            assert r.status_code == 201, r.text
    # one case has waited three hours without an answer
    engine = create_engine(f"sqlite:///{Path(server.env['LIVEROOM_VAR_DIR']) / 'liveroom.db'}")
    opened = datetime.now(UTC) - timedelta(hours=3, minutes=12)
    with engine.begin() as conn:
        conn.execute(update(aftersales_tickets).where(
            aftersales_tickets.c.order_id == orders[2][0]).values(created_at=opened))
        conn.execute(update(after_sales).where(
            after_sales.c.order_id == orders[2][0]).values(created_at=opened))
    engine.dispose()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.context.add_cookies([{"name": "liveroom_token", "value": cs, "url": server.url}])
    page.goto(f"{server.url}/service")
    deadline = time.monotonic() + 20  # the breach job records the missed deadline
    while not page.locator("ul.alerts li").count() and time.monotonic() < deadline:
        page.wait_for_timeout(300)
        page.reload()
    assert "前未首次回复" in page.inner_text("ul.alerts")
    assert page.locator("table.queue tbody tr").count() == 3
    assert page.locator("td.clock .overdue").count() == 1
    assert "¥30.00" in page.inner_text("table.queue")
    shots = Path(os.environ.get("LIVEROOM_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / "service.png"))
    page.locator("table.queue tbody tr").first.locator("button:has-text('同意')").click()
    page.wait_for_selector(".flash.ok")
    assert page.locator("table.queue tbody tr").count() == 2
