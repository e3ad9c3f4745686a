"""Orders split per merchant (商家), as the orders page and its downloads give them to
operators and to each merchant: the `merchant=` filter narrows lines, pages and downloads;
the subtotal per merchant is on the page, in its own CSV and JSON, and a sheet of the
workbook; its GMV counts the lines of paid orders, refunded ones included (docs/metrics.md)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from openpyxl import load_workbook

from tests.integration.test_fulfilment_page import signed_in, visible
from tests.integration.test_orders_export_page import csv_rows, orders_placed

PAN, BRUSH = "苏泊尔旗舰店", "飞利浦个护"  # the merchants of the pan and of the brush


def test_the_merchant_filter_narrows_the_lines_the_json_page_and_the_downloads(
        client: Any, tokens: Any, container: Any) -> None:
    # given eve's paid order (a pan and two brushes) and fay's unpaid brush
    sid, paid, unpaid = orders_placed(client, tokens, container)
    url = f"/api/v1/sessions/{sid}/orders"
    # when the pan's merchant is asked for
    rows = csv_rows(client, f"{url}?format=csv&merchant={quote(PAN)}", tokens["ops"])
    listed = client.get(url, params={"merchant": BRUSH}, headers=tokens["ops"]).json()
    # then only its lines come, each naming its merchant, and the JSON page follows
    assert [(r["id"], r["product_name"], r["merchant"]) for r in rows] == [
        (paid, "不粘锅", PAN)]
    assert [o["id"] for o in listed["items"]] == [paid, unpaid] and listed["total"] == 2
    every = csv_rows(client, f"{url}?format=csv", tokens["ops"])
    assert [r["merchant"] for r in every] == [PAN, BRUSH, BRUSH]
    nobody = client.get(url, params={"merchant": "无此商家"}, headers=tokens["ops"]).json()
    assert nobody["total"] == 0


def test_the_subtotal_per_merchant_in_json_csv_and_the_workbook(
        client: Any, tokens: Any, container: Any) -> None:
    # given the two orders, and eve's paid order refunded afterwards
    sid, paid, _ = orders_placed(client, tokens, container)
    assert client.post(f"/api/v1/orders/{paid}/refund", headers=tokens["cs"]
                       ).status_code == 200
    url = f"/api/v1/sessions/{sid}/orders/merchants"
    # when the subtotals are read
    got = client.get(url, headers=tokens["ops"]).json()["items"]
    # then one row per merchant, largest GMV first; the refunded order still counts in GMV,
    # fay's unpaid brush only in the amount of the lines
    assert got == [
        {"merchant": BRUSH, "orders": 2, "units": 3, "amount_fen": 26400, "gmv_fen": 17600},
        {"merchant": PAN, "orders": 1, "units": 1, "amount_fen": 12000, "gmv_fen": 12000}]
    rows = csv_rows(client, f"{url}?format=csv&merchant={quote(PAN)}", tokens["ops"])
    assert rows == [{"merchant": PAN, "orders": "1", "units": "1", "amount_yuan": "120.00",
                     "gmv_yuan": "120.00"}]
    # and the workbook of the orders carries them as its second sheet
    xlsx = client.get(f"/api/v1/sessions/{sid}/orders?format=xlsx", headers=tokens["ops"])
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["orders", "merchants"]
    sheet = [list(r) for r in book["merchants"].iter_rows(values_only=True)]
    assert sheet == [["merchant", "orders", "units", "amount_yuan", "gmv_yuan"],
                     [BRUSH, 2, 3, "264.00", "176.00"], [PAN, 1, 1, "120.00", "120.00"]]
    lines = [list(r) for r in book["orders"].iter_rows(values_only=True)]
    assert [r[lines[0].index("merchant")] for r in lines[1:]] == [PAN, BRUSH, BRUSH]


def test_a_merchant_reads_the_subtotals_of_paid_orders_only(
        client: Any, tokens: Any, container: Any) -> None:
    sid, _, _ = orders_placed(client, tokens, container)
    url = f"/api/v1/sessions/{sid}/orders/merchants"
    got = client.get(url, headers=tokens["merchant"]).json()["items"]
    assert [(s["merchant"], s["units"]) for s in got] == [(BRUSH, 2), (PAN, 1)]
    refused = client.get(url, params={"status": "reserved"}, headers=tokens["merchant"])
    assert refused.status_code == 403
    assert client.get(url, headers=tokens["host"]).status_code == 403
    bad = client.get(url, params={"format": "pdf"}, headers=tokens["ops"])
    assert bad.status_code == 422 and bad.json()["code"]


def test_the_orders_page_filters_by_merchant_and_shows_its_subtotal(
        client: Any, tokens: Any, container: Any) -> None:
    sid, paid, unpaid = orders_placed(client, tokens, container)
    signed_in(client, tokens, "ops")
    html = client.get(f"/sessions/{sid}/orders", params={"merchant": BRUSH}).text
    text = visible(html)
    # the brush's orders only, its one subtotal row, and downloads that keep the filter
    assert paid[-8:].upper() in text and unpaid[-8:].upper() in text
    assert "不粘锅" not in text.split("电动牙刷")[-1]  # the pan's line is not listed
    assert html.count("data-merchant=") == 1 and f'data-merchant="{BRUSH}"' in html
    assert "¥264.00" in text and "¥176.00" in text  # amount of the lines, GMV
    assert f"orders/merchants?format=csv&amp;merchant={quote(BRUSH)}" in html
    assert f'<option value="{PAN}"' in html and f'<option value="{BRUSH}" selected' in html
    whole = client.get(f"/sessions/{sid}/orders").text
    assert whole.count("data-merchant=") == 2 and "<tfoot>" in whole
