"""The live-ops panel on the console and the experiments page in Chromium at 1920×1080:
Chinese text, suggestions drawn from live clicks, carts and orders; screenshots for the docs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM, issue_buyer_jwt

pytestmark = pytest.mark.e2e
SCREEN = {"width": 1920, "height": 1080}
PRODUCTS = [("不粘炒锅", "28cm", 19900, 8000), ("陶瓷汤锅", "3L", 15900, 6000),
            ("硅胶锅铲", "两件套", 3900, 1200), ("厨房置物架", "三层", 8900, 3500)]


def _show(c: httpx.Client, title: str, start: datetime) -> tuple[str, list[str]]:
    skus = []
    for k, (name, spec, price, cost) in enumerate(PRODUCTS):
        p = c.post("/api/v1/products", json={
            "name": name, "category": "厨具", "tier": "profit",
            "skus": [{"code": f"LO-{title[:2]}-{k}-{start.minute}", "spec": spec,
                      "price_fen": price, "cost_fen": cost, "stock": 500}]}).json()
        skus.append(p["skus"][0]["id"])
    sid = c.post("/api/v1/sessions", json={
        "title": title, "theme": "厨房好物", "duration_minutes": 120,
        "scheduled_start": start.isoformat()}).json()["id"]
    c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
        {"sku_id": s, "live_price_fen": p[2]} for s, p in zip(skus, PRODUCTS, strict=True)]}
          ).raise_for_status()
    c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
    return sid, skus


def _traffic(c: httpx.Client, server, sid: str, skus: list[str], viewers: int, buyers: int,
             tag: str, ago: timedelta) -> None:
    at = (datetime.now(UTC) - ago).isoformat()
    events = []
    for v in range(viewers):
        b = f"{tag}{v}"
        events += [{"event_id": f"e-{tag}-{v}-enter", "type": "enter", "buyer_id": b, "ts": at},
                   {"event_id": f"e-{tag}-{v}-click", "type": "product_click", "buyer_id": b,
                    "sku_id": skus[v % 3 if v % 5 else 1], "ts": at}]
        if v % 4 == 0:
            events.append({"event_id": f"e-{tag}-{v}-cart", "type": "add_to_cart",
                           "buyer_id": b, "sku_id": skus[(v // 4) % 2 + 1], "ts": at})
    for k in range(0, len(events), 1000):
        c.post(f"/api/v1/sessions/{sid}/events", json={"events": events[k:k + 1000]}
               ).raise_for_status()
    secret = Settings().buyer_secret
    for i in range(buyers):
        jwt = issue_buyer_jwt(f"{tag}{i * 8}", secret, datetime.now(UTC))
        h = {"Authorization": f"Bearer {jwt}"}
        for sku in ([skus[1], skus[2]] if i % 2 == 0 else [skus[0]]):
            fid = _flash(c, sid, sku)
            r = httpx.post(f"{server.url}/api/v1/flash-sales/{fid}/purchases",
                           json={"quantity": 1}, headers={**h, "Idempotency-Key": f"{tag}{i}{sku}"})
            httpx.post(f"{server.url}/api/v1/orders/{r.json()['order_id']}/pay", json={},
                       headers=h).raise_for_status()


_FLASH: dict[tuple[str, str], str] = {}


def _flash(c: httpx.Client, sid: str, sku: str) -> str:
    if (sid, sku) not in _FLASH:
        price = next(p[2] for s, p in zip(_SKUS[sid], PRODUCTS, strict=True) if s == sku)
        fid = c.post(f"/api/v1/sessions/{sid}/flash-sales", json={
            "sku_id": sku, "price_fen": price, "quantity": 200, "per_buyer_limit": 5}).json()["id"]
        c.post(f"/api/v1/flash-sales/{fid}/start").raise_for_status()
        _FLASH[(sid, sku)] = fid
    return _FLASH[(sid, sku)]


_SKUS: dict[str, list[str]] = {}


def _admin_token(server) -> str:
    """In this process (the CLI's start-up alone takes a minute on a loaded shared box)."""
    c = bootstrap(Settings(var_dir=Path(server.env["LIVEROOM_VAR_DIR"]), database_url=""),
                  run_migrations=False)
    try:
        return str(c.bus.handle(AddUser("liveops", "admin"), SYSTEM)["token"])
    finally:
        c.close()


def test_liveops_panel_and_experiments_page(server, browser, shots):
    token = _admin_token(server)
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"},
                      timeout=60) as c:
        now = datetime.now(UTC)
        a, a_skus = _show(c, "周三厨房专场", now - timedelta(hours=3))
        _SKUS[a] = a_skus
        _traffic(c, server, a, a_skus, 120, 6, "a", timedelta(minutes=30))
        c.post(f"/api/v1/sessions/{a}/end").raise_for_status()
        b, b_skus = _show(c, "周五厨房专场", now - timedelta(minutes=50))
        _SKUS[b] = b_skus
        _traffic(c, server, b, b_skus, 160, 14, "b", timedelta(minutes=12))
        c.post(f"/api/v1/sessions/{b}/explain/{b_skus[0]}")
        c.post("/api/v1/experiments", json={
            "name": "开场福袋 vs 开场秒杀", "metric": "conversion",
            "arms": [{"label": "A", "session_id": a}, {"label": "B", "session_id": b}]}
               ).raise_for_status()
        c.post("/api/v1/experiments", json={
            "name": "前 30 分钟客单价", "metric": "aov",
            "arms": [{"label": "A", "session_id": a, "from_minute": 0, "to_minute": 30},
                     {"label": "B", "session_id": b, "from_minute": 0, "to_minute": 30}]}
               ).raise_for_status()
    ctx = browser.new_context(viewport=SCREEN, locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.add_cookies([{"name": "liveroom_token", "value": token, "url": server.url}])
    page = ctx.new_page()
    page.goto(f"{server.url}/console/{b}")
    expect(page.locator("#liveops h3").first).to_contain_text("建议接下来讲解", timeout=30_000)
    expect(page.locator("#liveops")).not_to_contain_text("carts_waiting")
    page.locator("#liveops").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "console-liveops-1920x1080.png"))
    page.locator("#liveops").screenshot(path=str(shots / "console-liveops-panel.png"))
    page.goto(f"{server.url}/experiments")
    expect(page.locator("h1")).to_have_text("A/B 实验")
    expect(page.locator("table")).to_contain_text("开场福袋")
    page.screenshot(path=str(shots / "experiments-1920x1080.png"), full_page=False)
    ctx.close()
