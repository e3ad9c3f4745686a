"""Every page, in zh-CN, says what it means in words: no raw id, snake_case code, enum value,
Python literal or UTC timestamp reaches a person's eyes (issues 9 and 10: "No page shows a
raw id or a snake_case code in zh-CN").

One shop with real data: a whole simulated broadcast (`liveroom demo`: catalogue, warm-up
links, flash sales, coupons, comments, alerts, members, an ended show with orders), a show
on air with paid orders and after-sales cases and 晒单 posts, a planned show with plan
warnings, and an experiment. An admin opens every HTML page in Chromium and the visible
text of each (`inner_text("body")`) is checked, with the words shown from placeholders,
tooltips and labels (tests/page_words.py); each page is saved at 1920×1080. The review
and its report are checked like every other page: one language, no bilingual labels."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CLI, Server
from tests.e2e.test_service_browser import buyer_orders
from tests.page_words import SHOWN_ATTRIBUTES, offenders

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SCREEN = {"width": 1920, "height": 1080}
# The words a page shows from attributes, as the browser has them after scripts ran.
SHOWN = ",".join(f"[{a}]" for a in SHOWN_ATTRIBUTES)
READ_SHOWN = "(els, names) => els.flatMap(e => names.map(a => e.getAttribute(a)).filter(v => v))"


class Shop:
    def __init__(self, srv: Server, admin: str) -> None:
        self.srv, self.admin = srv, admin
        self.ended = self.live = self.planned = ""
        self.product = self.member = ""


def _demo(env: dict[str, str]) -> Path:
    """The demo's database; the demo exits 1 when its closing numbers disagree with the
    orders (its own test covers that), so only a missing database fails here."""
    run = subprocess.run([CLI, "demo", "--viewers", "300", "--speed", "0"], env=env,
                         capture_output=True, text=True, check=False, timeout=900)
    db = Path(env["LIVEROOM_VAR_DIR"]) / "demo" / "liveroom.db"
    assert db.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    return db


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    srv = Server(tmp_path_factory.mktemp("speak"))
    db = _demo({**srv.env, "LIVEROOM_ENV": "development"})
    srv.env["LIVEROOM_DATABASE_URL"] = f"sqlite:///{db}"
    srv.start()
    admin = srv.cli("user", "add", "陈中控", "--role", "admin")
    shop = Shop(srv, admin)
    h = {"Authorization": f"Bearer {admin}"}
    with httpx.Client(base_url=srv.url, headers=h, timeout=60) as c:
        shop.ended = c.get("/api/v1/sessions").json()["items"][0]["id"]
    # a show on air with paid orders, after-sales cases (one an exchange) and 晒单 posts
    orders = buyer_orders(srv, admin, 3)
    with httpx.Client(base_url=srv.url, timeout=60) as c:
        for (oid, bh), body in zip(orders, (
                {"kind": "refund_only", "amount_fen": 3000, "reason": "锅底有划痕"},
                {"kind": "exchange", "reason": "想换 32cm"}), strict=False):
            c.post(f"/api/v1/orders/{oid}/after-sales", headers=bh, json=body)
        oid, bh = orders[2]
        c.post(f"/api/v1/orders/{oid}/ugc", headers=bh,
               json={"text": "锅很好用", "photo_url": "https://img.example/pan.jpg"})
        c.headers.update(h)
        order = c.get(f"/api/v1/orders/{oid}").json()
        shop.live = order["session_id"]
        shop.product = c.get("/api/v1/products").json()["items"][0]["id"]
        # a planned show, tomorrow, whose plan is unfinished: the plan page warns
        start = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
        shop.planned = c.post("/api/v1/sessions", json={
            "title": "周六预告场", "duration_minutes": 90,
            "scheduled_start": start.isoformat()}).json()["id"]
        c.post("/api/v1/experiments", json={
            "name": "开场福袋 vs 开场秒杀", "metric": "conversion",
            "arms": [{"label": "A", "session_id": shop.ended},
                     {"label": "B", "session_id": shop.live}]})
        shop.member = c.get("/api/v1/members").json()["items"][0]["buyer_id"]
    yield shop
    srv.stop()


def pages(s: Shop) -> list[tuple[str, str]]:
    """(screenshot name, path) of every HTML page a person reads."""
    return [
        ("sessions", "/"),
        ("users", "/users"),
        ("catalog", "/catalog"),
        ("catalog-edit", f"/catalog/products/{s.product}/edit"),
        ("plan-planned", f"/sessions/{s.planned}/plan"),
        ("plan-ended", f"/sessions/{s.ended}/plan"),
        ("warmup", f"/sessions/{s.ended}/warmup"),
        ("console-live", f"/console/{s.live}"),
        ("console-ended", f"/console/{s.ended}"),
        ("console-liveops", f"/console/{s.live}/liveops"),
        ("big-screen-live", f"/dashboard/{s.live}"),
        ("big-screen-ended", f"/dashboard/{s.ended}"),
        ("review", f"/sessions/{s.ended}/review"),
        ("orders", f"/sessions/{s.ended}/orders"),
        ("orders-merchant", f"/sessions/{s.ended}/orders?merchant=滇味山货合作社"),
        ("members", "/members"),
        ("member", f"/members/{s.member}"),
        ("members-ugc", "/members/ugc"),
        ("service", "/service"),
        ("fulfilment", "/fulfilment"),
        ("experiments", "/experiments"),
        ("viewer-reserve", f"/reserve/{s.planned}"),
        ("viewer-live", f"/live/{s.live}"),
        ("viewer-shelf", f"/live/{s.live}/shelf"),
    ]


def _open(browser: Any, url: str, token: str | None) -> Any:
    ctx = browser.new_context(viewport=SCREEN, locale="zh-CN", timezone_id="Asia/Shanghai")
    if token:
        ctx.add_cookies([{"name": "liveroom_token", "value": token, "url": url}])
    return ctx.new_page()


def test_every_page_speaks_chinese(shop, browser, shots):
    page = _open(browser, shop.srv.url, shop.admin)
    found: dict[str, list[str]] = {}
    for name, path in pages(shop):
        answer = page.goto(shop.srv.url + path)
        assert answer is not None and answer.status == 200, (path, answer and answer.status)
        expect(page.locator("body")).not_to_be_empty()
        page.wait_for_timeout(1200)  # htmx fragments and live streams fill in
        text = page.inner_text("body")
        shown = page.eval_on_selector_all(SHOWN, READ_SHOWN, list(SHOWN_ATTRIBUTES))
        bad = offenders(text) + [w for a in shown for w in offenders(a)]
        if bad:
            found[f"{name} {path}"] = sorted(set(bad))
        page.screenshot(path=str(shots / f"zh-{name}-1920x1080.png"))
    page.context.close()
    signin = _open(browser, shop.srv.url, None)
    signin.goto(shop.srv.url + "/login")
    bad = offenders(signin.inner_text("body"))
    if bad:
        found["signin /login"] = bad
    signin.context.close()
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
