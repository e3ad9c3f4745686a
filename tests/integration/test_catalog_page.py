"""The catalogue page as a person reads it (tiers in words, money in ¥, no raw codes), its
forms through htmx with the CSRF header, and the catalogue out to XLSX and back in."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook

from liveroom.entrypoints.api.routes_web import COOKIE, csrf_for
from liveroom.entrypoints.api.web_i18n import LOCALE_COOKIE
from tests import factories as f
from tests.integration.test_signin_and_users import visible


def signed_in(client: Any, tokens: Any, role: str) -> dict[str, str]:
    token = tokens[role]["Authorization"].split(" ", 1)[1]
    client.cookies.set(COOKIE, token)
    client.cookies.set(LOCALE_COOKIE, "en")  # this test reads the English words
    return {"X-CSRF-Token": csrf_for(token), "HX-Request": "true"}


def products(client: Any, tokens: Any) -> dict[str, Any]:
    items = client.get("/api/v1/products", headers=tokens["ops"]).json()["items"]
    return {p["name"]: p for p in items}


def test_catalog_page_lists_filters_creates_and_edits(client, tokens) -> None:  # type: ignore[no-untyped-def]
    f.product(client, tokens["ops"], name="挂耳咖啡", tier="traffic", category="食品",
              price_fen=990, cost_fen=500, qualification_docs=["食品经营许可证"])
    f.product(client, tokens["ops"], name="真丝围巾", tier="flagship", category="服饰",
              price_fen=59900, cost_fen=21000)
    h = signed_in(client, tokens, "ops")
    html = client.get("/catalog").text
    text = visible(html)
    assert "挂耳咖啡" in text and "真丝围巾" in text
    assert "Traffic item" in text and "Flagship item" in text
    assert "¥9.90" in text and "¥599.00" in text and "49%" in text  # margin of the coffee
    assert not re.search(r"\b(traffic|profit|flagship)\b(?! items?\b)", text)  # enum values
    for raw in ("price_fen", "+00:00", "None"):
        assert raw not in text, raw
    filtered = visible(client.get("/catalog?tier=flagship").text)
    assert "真丝围巾" in filtered and "挂耳咖啡" not in filtered
    assert "挂耳咖啡" in visible(client.get("/catalog?category=食品").text)
    # create from the page
    form = {"name": "不粘锅", "category": "厨具", "tier": "profit", "code": "POT-28",
            "spec": "28cm", "price": "199", "cost": "80.50", "stock": "40"}
    assert client.post("/catalog/products", data=form).status_code == 403  # no CSRF header
    r = client.post("/catalog/products", data=form, headers=h)
    assert "Product created." in r.text and "不粘锅" in r.text
    pot = products(client, tokens)["不粘锅"]
    assert pot["skus"][0]["cost_fen"] == 8050 and pot["tier"] == "profit"
    r = client.post("/catalog/products", data={**form, "name": "另一口锅"}, headers=h)
    assert 'data-code="duplicate_sku_code"' in r.text
    # edit: the form, then the product and the SKU
    edit = client.get(f"/catalog/products/{pot['id']}/edit").text
    assert 'value="199.00"' in edit and 'name="expected_stock" value="40"' in edit
    r = client.post(f"/catalog/products/{pot['id']}", headers=h, data={
        "name": "麦饭石不粘锅", "category": "厨具", "tier": "traffic", "brand": "炊大师",
        "shipping_regions": "江浙沪，广东", "ship_lead_days": "1", "restock_lead_days": "5",
        "qualification_docs": ""})
    assert "Product saved." in r.text
    sku_id = pot["skus"][0]["id"]
    r = client.post(f"/catalog/skus/{sku_id}", headers=h,
                    data={"price": "189.00", "cost": "80.50", "stock": "40",
                          "expected_stock": "40", "restock": "10"})
    assert "SKU saved." in r.text
    pot = products(client, tokens)["麦饭石不粘锅"]
    assert pot["shipping_regions"] == ["江浙沪", "广东"] and pot["brand"] == "炊大师"
    assert (pot["skus"][0]["price_fen"], pot["skus"][0]["stock"]) == (18900, 50)
    # a stock count typed over a stale form is refused
    r = client.post(f"/catalog/skus/{sku_id}", headers=h,
                    data={"stock": "7", "expected_stock": "40"})
    assert 'data-code="stock_changed"' in r.text


def test_roles_without_writing_see_no_forms(client, tokens) -> None:  # type: ignore[no-untyped-def]
    f.product(client, tokens["ops"], name="挂耳咖啡")
    signed_in(client, tokens, "host")
    html = client.get("/catalog").text
    assert "挂耳咖啡" in html
    assert 'hx-post="/catalog/products"' not in html and "/catalog/import" not in html


def _upload(client: Any, h: dict[str, str], data: bytes) -> Any:
    return client.post("/catalog/import", headers=h, files={"file": (
        "catalog.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})


def test_xlsx_export_and_import_round_trip(client, tokens) -> None:  # type: ignore[no-untyped-def]
    f.product(client, tokens["ops"], name="=HYPERLINK(\"http://x\")", tier="traffic",
              category="厨具", price_fen=1990, cost_fen=900, stock=30)
    f.product(client, tokens["ops"], name="真丝围巾", tier="flagship", category="服饰",
              price_fen=59900, cost_fen=21000, stock=5)
    h = signed_in(client, tokens, "ops")
    r = client.get("/catalog/export.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(r.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "商品名称" and len(rows) == 3
    cells = [c for row in rows for c in row if isinstance(c, str)]
    assert not any(c.startswith("=") for c in cells)  # never a formula
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["真丝围巾"][2] == "战略款" and by_name["真丝围巾"][6] == 599
    # the operator edits the sheet: a price, a stock count, two new rows (one bad)
    wb = load_workbook(BytesIO(r.content))
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "真丝围巾":
            row[6].value, row[8].value = 569, 12
    ws.append(["保温杯", "厨具", "引流款", "", "CUP-1", "500ml", 39.9, 15, 100])
    ws.append(["保温杯", "厨具", "引流款", "", "CUP-2", "750ml", "四十", 15, 100])
    ws.append(["砂锅", "厨具", "爆款", "", "POT-9", "", 99, 30, 5])
    out = BytesIO()
    wb.save(out)
    r = _upload(client, h, out.getvalue())
    assert r.status_code == 200
    text = visible(r.text)
    assert "Row 5:" in text and "四十" in text  # the bad price, by row
    assert "Row 6:" in text and "爆款" in text  # the unknown tier
    got = products(client, tokens)
    assert got["真丝围巾"]["skus"][0]["price_fen"] == 56900
    assert got["真丝围巾"]["skus"][0]["stock"] == 12
    assert got["=HYPERLINK(\"http://x\")"]["skus"][0]["price_fen"] == 1990  # read back as text
    assert [s["code"] for s in got["保温杯"]["skus"]] == ["CUP-1"]
    assert got["保温杯"]["skus"][0]["price_fen"] == 3990 and got["保温杯"]["tier"] == "traffic"
    assert "砂锅" not in got
    # importing the export again changes nothing
    again = client.get("/catalog/export.xlsx").content
    r = _upload(client, h, again)
    assert "0 rows refused" in visible(r.text)
    assert products(client, tokens) == got


def test_import_refuses_what_is_not_a_workbook(client, tokens) -> None:  # type: ignore[no-untyped-def]
    h = signed_in(client, tokens, "ops")
    r = _upload(client, h, b"name,price\n")
    assert 'data-code="invalid_sheet"' in r.text
    wb = Workbook()
    wb.active.append(["header"])
    out = BytesIO()
    wb.save(out)
    assert "0 rows created" in visible(_upload(client, h, out.getvalue()).text)


def test_trial_shows_say_how_each_product_did(client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_aftersales import paid_order

    paid_order(client, tokens, container, "amy", quantity=2, name="试播保温杯")
    f.product(client, tokens["ops"], name="还没试过的砂锅")
    signed_in(client, tokens, "ops")
    text = visible(client.get("/catalog").text)
    trial = text.split("Market test → trial show → feedback")[1]
    assert "试播保温杯" in trial and "厨房好物节" in trial and "Live now" in trial
    assert "¥240.00" in trial  # two units at the ¥120 live price
    assert "0.0%" in trial  # no returns yet
    assert "Not tried in a show yet: 还没试过的砂锅" in trial
    assert "live" not in trial.replace("Live now", "").replace("Live price", "")
