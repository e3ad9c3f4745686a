"""The orders page and its downloads as operators read them: one row per product line with
name, SKU code and spec, yuan, Chinese statuses and Beijing times; the category filter; no
raw ids on the page; the merchant sees paid only. The split per merchant is in
test_orders_merchants.py."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from tests.factories import product, session
from tests.integration.test_fulfilment_page import signed_in, visible
from tests.integration.test_orders import CONTACT, buyer, order


def two_category_shop(client: Any, tokens: Any) -> tuple[str, str, str]:
    pan = product(client, tokens["ops"], name="不粘锅", category="厨具", merchant="苏泊尔旗舰店")
    brush = product(client, tokens["ops"], name="电动牙刷", category="个护", price_fen=9900,
                    merchant="飞利浦个护")
    sid = session(client, tokens["ops"])
    r = client.put(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"], json={"items": [
        {"sku_id": pan["sku_id"], "live_price_fen": 12000},
        {"sku_id": brush["sku_id"], "live_price_fen": 8800}]})
    assert r.status_code == 200, r.text
    assert client.post(f"/api/v1/sessions/{sid}/start", headers=tokens["console"]
                       ).status_code == 200
    for sku in (pan["sku_id"], brush["sku_id"]):
        assert client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list",
                           headers=tokens["console"]).status_code == 200
    return sid, pan["sku_id"], brush["sku_id"]


def orders_placed(client: Any, tokens: Any, container: Any) -> tuple[str, str, str]:
    """eve pays for a pan and two brushes; fay leaves one brush unpaid."""
    sid, pan, brush = two_category_shop(client, tokens)
    eve, fay = buyer(container, "eve"), buyer(container, "fay")
    paid = order(client, sid, eve, "e1", contact=CONTACT, items=[
        {"sku_id": pan, "quantity": 1}, {"sku_id": brush, "quantity": 2}])
    assert paid.status_code == 201, paid.text
    assert client.post(f"/api/v1/orders/{paid.json()['order_id']}/pay",
                       headers=eve).status_code == 200
    unpaid = order(client, sid, fay, "f1", contact=CONTACT,
                   items=[{"sku_id": brush, "quantity": 1}])
    assert unpaid.status_code == 201, unpaid.text
    return sid, paid.json()["order_id"], unpaid.json()["order_id"]


def csv_rows(client: Any, url: str, headers: dict[str, str]) -> list[dict[str, str]]:
    r = client.get(url, headers=headers)
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_the_export_has_one_row_per_line_with_names_codes_yuan_and_beijing_times(
        client: Any, tokens: Any, container: Any) -> None:
    sid, paid, unpaid = orders_placed(client, tokens, container)
    rows = csv_rows(client, f"/api/v1/sessions/{sid}/orders?format=csv", tokens["ops"])
    # the old columns are still there; the paid order has two lines, the unpaid one
    assert [(r["id"], r["product_name"], r["line_quantity"]) for r in rows] == [
        (paid, "不粘锅", "1"), (paid, "电动牙刷", "2"), (unpaid, "电动牙刷", "1")]
    first = rows[0]
    assert first["sku_code"].startswith("SKU-") and first["spec"] == "默认"
    assert (first["unit_price_yuan"], first["line_amount_yuan"]) == ("120.00", "120.00")
    assert rows[1]["line_amount_yuan"] == "176.00" and rows[1]["total_fen"] == first["total_fen"]
    assert (first["status_zh"], rows[2]["status_zh"]) == ("已支付", "待支付")
    assert first["phone"] == "138****5678"  # ops sees contacts masked
    placed = client.get(f"/api/v1/orders/{paid}", headers=tokens["ops"]).json()["created_at"]
    beijing = datetime.fromisoformat(placed).astimezone(ZoneInfo("Asia/Shanghai"))
    assert first["created_at"].endswith("+08:00")
    assert first["created_at_local"] == beijing.strftime("%Y-%m-%d %H:%M:%S")
    # the XLSX holds the same columns
    xlsx = client.get(f"/api/v1/sessions/{sid}/orders?format=xlsx", headers=tokens["cs"])
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in sheet[1]]
    assert sheet[2][header.index("product_name")].value == "不粘锅"
    assert sheet[2][header.index("phone")].value == CONTACT["phone"]  # cs may see it


def test_the_category_filter_narrows_lines_and_the_json_page(
        client: Any, tokens: Any, container: Any) -> None:
    sid, paid, unpaid = orders_placed(client, tokens, container)
    rows = csv_rows(client, f"/api/v1/sessions/{sid}/orders?format=csv&category=厨具",
                    tokens["ops"])
    assert [(r["id"], r["product_name"]) for r in rows] == [(paid, "不粘锅")]
    listed = client.get(f"/api/v1/sessions/{sid}/orders?category=个护", headers=tokens["ops"]
                        ).json()
    assert [o["id"] for o in listed["items"]] == [paid, unpaid] and listed["total"] == 2
    later = client.get(f"/api/v1/sessions/{sid}/orders?since=2999-01-01T00:00",
                       headers=tokens["ops"]).json()
    assert later["total"] == 0
    bad = client.get(f"/api/v1/sessions/{sid}/orders?since=yesterday", headers=tokens["ops"])
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_time")


def test_the_page_shows_orders_in_words_without_raw_ids(
        client: Any, tokens: Any, container: Any) -> None:
    sid, paid, unpaid = orders_placed(client, tokens, container)
    signed_in(client, tokens, "ops")
    html = client.get(f"/sessions/{sid}/orders").text
    text = visible(html)
    assert paid[-8:].upper() in text and unpaid[-8:].upper() in text
    for raw in (paid, unpaid, sid, "reserved", "+00:00", "fen"):
        assert raw not in text, raw
    assert "已支付" in text and "待支付" in text and "¥" in text and "电动牙刷" in text
    assert 'data-merchant="飞利浦个护"' in html and "format=xlsx" in html
    assert f'href="/sessions/{sid}/orders"' in client.get("/").text
    filtered = visible(client.get(f"/sessions/{sid}/orders?category=厨具").text)
    assert paid[-8:].upper() in filtered and unpaid[-8:].upper() not in filtered


def test_the_merchant_sees_paid_orders_only_on_the_page_and_in_downloads(
        client: Any, tokens: Any, container: Any) -> None:
    sid, paid, unpaid = orders_placed(client, tokens, container)
    signed_in(client, tokens, "merchant")
    text = visible(client.get(f"/sessions/{sid}/orders?status=reserved").text)
    assert paid[-8:].upper() in text and unpaid[-8:].upper() not in text
    rows = csv_rows(client, f"/api/v1/sessions/{sid}/orders?format=csv", tokens["merchant"])
    assert {r["id"] for r in rows} == {paid} and rows[0]["phone"] == CONTACT["phone"]
    signed_in(client, tokens, "host")
    assert client.get(f"/sessions/{sid}/orders").status_code == 403
