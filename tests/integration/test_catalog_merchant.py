"""The merchant (商家) of a product: given at creation, changed by PATCH (audited), the
catalogue filtered by it through the API and on the page, the page's create and edit
forms, and the spreadsheet's last column, out and back in."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from tests import factories as f
from tests.integration.test_catalog_page import _upload, products, signed_in
from tests.integration.test_signin_and_users import visible


def test_the_api_takes_filters_and_audits_the_merchant(client: Any, tokens: Any,
                                                       container: Any) -> None:
    # given two products, one with a merchant
    pan = f.product(client, tokens["ops"], name="不粘锅", merchant=" 苏泊尔旗舰店 ")
    cup = f.product(client, tokens["ops"], name="保温杯")
    # when the other one gets a merchant
    r = client.patch(f"/api/v1/products/{cup['id']}", headers=tokens["ops"],
                     json={"merchant": "膳魔师"})
    # then both carry theirs (trimmed), the change is audited, the list filters by it
    assert r.status_code == 200 and r.json()["merchant"] == "膳魔师"
    assert r.json()["changed"] == ["merchant"]
    got = products(client, tokens)
    assert (got["不粘锅"]["merchant"], got["保温杯"]["merchant"]) == ("苏泊尔旗舰店", "膳魔师")
    listed = client.get("/api/v1/products", params={"merchant": "苏泊尔旗舰店"},
                        headers=tokens["ops"]).json()
    assert [p["id"] for p in listed["items"]] == [pan["id"]] and listed["total"] == 1
    with container.read() as conn:
        audited = conn.execute(select(t.audit_log.c.before, t.audit_log.c.after).where(
            t.audit_log.c.action == "product.update", t.audit_log.c.target == cup["id"])).all()
    assert [(a.before, a.after) for a in audited] == [({"merchant": ""}, {"merchant": "膳魔师"})]
    # and a merchant can be cleared, but not be a paragraph
    assert client.patch(f"/api/v1/products/{cup['id']}", headers=tokens["ops"],
                        json={"merchant": ""}).json()["merchant"] == ""
    long = client.patch(f"/api/v1/products/{cup['id']}", headers=tokens["ops"],
                        json={"merchant": "商" * 101})
    assert long.status_code == 422 and long.json()["code"]


def test_the_catalogue_page_creates_edits_and_filters_by_merchant(
        client: Any, tokens: Any) -> None:
    f.product(client, tokens["ops"], name="挂耳咖啡", category="食品", merchant="云南咖啡合作社")
    h = signed_in(client, tokens, "ops")
    # create with a merchant from the page
    r = client.post("/catalog/products", headers=h, data={
        "name": "不粘锅", "category": "厨具", "tier": "profit", "code": "POT-28",
        "merchant": "苏泊尔旗舰店", "price": "199", "cost": "80", "stock": "5"})
    assert "Product created." in r.text
    pot = products(client, tokens)["不粘锅"]
    assert pot["merchant"] == "苏泊尔旗舰店"
    # the list shows it, and filters by it
    page = client.get("/catalog").text
    assert '<option value="苏泊尔旗舰店"' in page and 'name="merchant"' in page
    only = visible(client.get("/catalog", params={"merchant": "云南咖啡合作社"}).text)
    assert "挂耳咖啡" in only and "不粘锅" not in only
    # the edit form shows it and saves a new one
    edit = client.get(f"/catalog/products/{pot['id']}/edit").text
    assert 'name="merchant" maxlength="100" value="苏泊尔旗舰店"' in edit
    assert 'id="catalog"' in edit  # a link of its own: the whole page, the form open
    fragment = client.get(f"/catalog/products/{pot['id']}/edit", headers=h).text
    assert 'value="苏泊尔旗舰店"' in fragment and "<html" not in fragment
    r = client.post(f"/catalog/products/{pot['id']}", headers=h, data={
        "name": "不粘锅", "category": "厨具", "tier": "profit", "merchant": "爱仕达"})
    assert "Product saved." in r.text
    assert products(client, tokens)["不粘锅"]["merchant"] == "爱仕达"
    r = client.post(f"/catalog/products/{pot['id']}", headers=h, data={
        "name": "不粘锅", "category": "厨具", "tier": "profit", "merchant": "商" * 101})
    assert 'data-code="invalid_merchant"' in r.text
    assert "Refused: a merchant&#39;s name has at most 100 characters" in r.text  # in words


def test_the_spreadsheet_carries_the_merchant_out_and_back_in(client: Any, tokens: Any) -> None:
    f.product(client, tokens["ops"], name="真丝围巾", category="服饰", merchant="杭州丝绸")
    h = signed_in(client, tokens, "ops")
    r = client.get("/catalog/export.xlsx", params={"merchant": "杭州丝绸"})
    wb = load_workbook(BytesIO(r.content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "商家" and rows[1][-1] == "杭州丝绸" and len(rows) == 2
    # a new row with a merchant, an old-style row without the column, a changed merchant
    ws["J2"] = "杭州丝绸二厂"
    ws.append(["保温杯", "厨具", "引流款", "", "CUP-1", "500ml", 39.9, 15, 100, "膳魔师"])
    ws.append(["砂锅", "厨具", "利润款", "", "POT-9", "", 99, 30, 5])
    out = BytesIO()
    wb.save(out)
    assert "0 rows refused" in visible(_upload(client, h, out.getvalue()).text)
    got = products(client, tokens)
    assert (got["真丝围巾"]["merchant"], got["保温杯"]["merchant"], got["砂锅"]["merchant"]) \
        == ("杭州丝绸二厂", "膳魔师", "")
