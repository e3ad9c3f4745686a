"""The review (复盘) as a page: the figures in ¥ with thousands separators, Chinese names for
segments and the funnel, the charts' data for ECharts, and the downloads next to them."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from liveroom.entrypoints.api.routes_web import COOKIE
from tests import factories as f
from tests.integration.test_review import buyer
from tests.integration.test_signin_and_users import visible


def sold_twelve(client: Any, tokens: Any, container: Any, sid: str, sku: str) -> None:
    """A run-of-show (warm-up, then the product) and twelve units sold in a flash sale at
    ¥1,299.00; then the show ends."""
    client.put(f"/api/v1/sessions/{sid}/segments", headers=tokens["ops"], json={"segments": [
        {"kind": "warmup", "title": "", "start_minute": 0, "duration_minutes": 10},
        {"kind": "product", "title": "", "start_minute": 10, "duration_minutes": 100,
         "sku_id": sku}]})
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 129900, "quantity": 20}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    for i in range(12):
        r = client.post(f"/api/v1/flash-sales/{fid}/purchases",
                        headers=buyer(container, f"b{i}"), json={"quantity": 1})
        assert r.status_code == 201, r.text
        assert client.post(f"/api/v1/orders/{r.json()['order_id']}/pay",
                           headers=buyer(container, f"b{i}"), json={}).status_code == 200
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])


def test_review_page_shows_the_report_with_its_downloads(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    # given a show that sold 12 units at ¥1,299.00 through a flash sale, with segments
    sid, sku = f.live_session_with(client, tokens, stock=100, price_fen=199900,
                                   cost_fen=50000, live_price_fen=149900)
    sold_twelve(client, tokens, container, sid, sku)
    # when 运营 opens the review page
    client.cookies.set(COOKIE, tokens["ops"]["Authorization"].split(" ", 1)[1])
    r = client.get(f"/sessions/{sid}/review")
    assert r.status_code == 200, r.text
    html, text = r.text, visible(r.text)
    # then money is in ¥ with separators, segment kinds and funnel steps are in Chinese
    assert "¥15,588.00" in text  # 12 × ¥1,299.00
    assert "暖场" in text and "产品讲解" in text and ">warmup<" not in html
    charts = json.loads(unescape(re.search(r'data-charts="([^"]*)"', html).group(1)))
    assert [k for k, _ in charts["funnel"]][:2] == ["直播间曝光", "进入直播间"]
    labels = json.loads(unescape(re.search(r'data-labels="([^"]*)"', html).group(1)))
    assert "¥" in labels["gmv"]
    assert '<script src="/static/review.js"' in html and "<style" not in html
    # and the downloads are next to it, and work with the page's sign-in
    for fmt in ("xlsx", "html", "md"):
        assert f'href="/api/v1/sessions/{sid}/review.{fmt}"' in html
        assert client.get(f"/api/v1/sessions/{sid}/review.{fmt}").status_code == 200
    assert "下载 Excel" in text
    client.cookies.set(COOKIE, tokens["merchant"]["Authorization"].split(" ", 1)[1])
    assert client.get(f"/sessions/{sid}/review").status_code == 403
