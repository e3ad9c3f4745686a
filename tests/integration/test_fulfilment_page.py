"""The 发货 page: orders to ship as a person reads them (short numbers, local dates, words
not codes), overdue in red, the merchant's confirmation and the upload with per-row errors,
through htmx with the page's CSRF header."""

from __future__ import annotations

import re
from typing import Any

from liveroom.entrypoints.api.routes_web import COOKIE, csrf_for
from tests.integration.test_fulfilment import csv_bytes, paid_order


def signed_in(client: Any, tokens: Any, role: str) -> dict[str, str]:
    token = tokens[role]["Authorization"].split(" ", 1)[1]
    client.cookies.set(COOKIE, token)
    return {"X-CSRF-Token": csrf_for(token), "HX-Request": "true"}


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html,
                                          flags=re.S))


def test_the_fulfilment_page_shows_ship_by_dates_and_overdue_orders(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given two paid orders, one paid four days ago with a two-day lead time
    late = paid_order(client, tokens, container, "late", ship_lead_days=2)
    clock.advance(days=4)
    fresh = paid_order(client, tokens, container, "fresh", ship_lead_days=2)
    signed_in(client, tokens, "merchant")
    # when the merchant opens the page
    html = client.get("/fulfilment").text
    # then both orders are there by short number, the late one in red, in words and
    # local dates (paid 18:00 Beijing time on 11-27: ship by 11-29)
    assert late[-8:].upper() in html and fresh[-8:].upper() in html
    assert html.count("data-overdue") == 1 and "11-29 · 已超期" in html
    text = visible(html)
    for raw in (late, fresh, "pending", "+00:00", "b-late"):
        assert raw not in text, raw
    assert "待发货" in text and "按发货时效计算，待商家确认" in text


def test_the_merchant_confirms_and_uploads_from_the_page(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    oid = paid_order(client, tokens, container, "pg")
    headers = signed_in(client, tokens, "merchant")
    # a form post without the page's CSRF header is refused
    assert client.post(f"/fulfilment/{oid}/ship-by", data={"ship_by": "2026-12-01"}
                       ).status_code == 403
    r = client.post(f"/fulfilment/{oid}/ship-by", headers=headers,
                    data={"ship_by": "2026-12-01", "note": "等厂家到货"})
    assert r.status_code == 200 and "发货截止日已确认。" in r.text
    assert "商家已调整" in r.text
    # when a sheet with a good row and a bad one is uploaded
    data = csv_bytes([[oid, "顺丰速运", "SF77", "已发货"], ["missing-order-1", "中通", "Z1", ""]])
    r = client.post("/fulfilment/upload?show=all", headers=headers,
                    files={"file": ("发货.csv", data)})
    # then the page says what was applied and names the refused row by its line
    assert r.status_code == 200
    assert "1 行已更新，0 行无变化，1 行未通过" in r.text
    assert 'data-line="3"' in r.text and "找不到该订单。" in r.text
    assert "已发货" in r.text and "SF77" in r.text
