"""The pages and the review's reports, rendered through HTTP without a browser, say what
they mean in one language: no bilingual label ("新客 new buyers"), raw id, snake_case code,
enum value or English word in the text, nor in what the browser shows from placeholders,
tooltips and labels (tests/page_words.py). The browser walk over every page with the demo's
data is e2e/test_pages_speak_chinese.py; this one is fast and runs with the others."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from tests import factories as f
from tests.integration.test_fulfilment_page import signed_in
from tests.integration.test_review_page import sold_twelve
from tests.page_words import leaks, offenders


def ended_show(client: Any, tokens: Any, container: Any) -> tuple[str, str]:
    """An ended show with an incident, a run-of-show, twelve pans sold in a flash sale and a
    KPI target it missed; returns (session id, product id)."""
    pan = f.product(client, tokens["ops"], name="麦饭石不粘锅", category="厨具",
                    merchant="苏泊尔旗舰店", price_fen=199900, cost_fen=50000, stock=100)
    sid = f.session(client, tokens["ops"], theme="厨房好物")
    sku = pan["sku_id"]
    assert client.put(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"], json={
        "items": [{"sku_id": sku, "live_price_fen": 149900}]}).status_code == 200
    assert client.post(f"/api/v1/sessions/{sid}/start", headers=tokens["console"]
                       ).status_code == 200
    incident = client.post(f"/api/v1/sessions/{sid}/incidents", headers=tokens["console"],
                           json={"kind": "stream_down", "note": "推流断了一次"})
    assert incident.status_code == 201, incident.text
    client.post(f"/api/v1/incidents/{incident.json()['id']}/resolve",
                headers=tokens["console"])
    sold_twelve(client, tokens, container, sid, sku)
    return sid, pan["id"]


def test_the_review_page_and_its_reports_speak_one_language(
        client: Any, tokens: Any, container: Any) -> None:
    # given an ended show with segments, a flash sale, an incident and a missed target
    sid, _ = ended_show(client, tokens, container)
    signed_in(client, tokens, "ops")
    # when 运营 opens the review, and downloads it as HTML, Markdown and Excel
    page = client.get(f"/sessions/{sid}/review")
    report = client.get(f"/api/v1/sessions/{sid}/review.html")
    markdown = client.get(f"/api/v1/sessions/{sid}/review.md").content.decode()
    book = load_workbook(io.BytesIO(client.get(f"/api/v1/sessions/{sid}/review.xlsx").content))
    # then each says it in Chinese only, with the words the page has always had
    assert page.status_code == report.status_code == 200
    assert leaks(page.text) == {} and leaks(report.text) == {}
    for words in ("新客与老客", "暖场", "产品讲解", "推流中断", "已恢复", "改进清单", "概览"):
        assert words in page.text + markdown + " ".join(book.sheetnames), words
    assert offenders(markdown) == []
    cells = [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert [w for c in cells for w in offenders(c)] == []


def test_the_review_in_english_is_english_only(client: Any, tokens: Any, container: Any) -> None:
    sid, _ = ended_show(client, tokens, container)
    signed_in(client, tokens, "ops")
    client.cookies.set("liveroom_locale", "en")
    text = client.get(f"/sessions/{sid}/review").text
    assert "New and returning buyers" in text or "Highlights and weak moments" in text
    assert "Warm-up segment" in text and "Stream down" in text
    for chinese in ("新客", "暖场", "高光", "改进清单", "推流中断", "分钟"):
        assert chinese not in text, chinese


def test_the_catalogue_orders_and_plan_pages_leak_nothing(
        client: Any, tokens: Any, container: Any) -> None:
    sid, pid = ended_show(client, tokens, container)
    planned = f.session(client, tokens["ops"], theme="周末预告")
    signed_in(client, tokens, "ops")
    for path in ("/catalog", f"/catalog/products/{pid}/edit", f"/sessions/{sid}/orders",
                 f"/sessions/{sid}/orders?merchant=苏泊尔旗舰店", f"/sessions/{planned}/plan"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert leaks(r.text) == {}, path
