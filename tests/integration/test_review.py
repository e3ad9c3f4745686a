"""The review (复盘) through HTTP: its money agrees with the paid orders."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from liveroom.identity.model import issue_buyer_jwt
from tests import factories as f
from tests.conftest import auth


def buyer(container, name: str) -> dict[str, str]:
    return {**auth(issue_buyer_jwt(name, container.settings.buyer_secret, datetime.now(UTC),
                                   timedelta(hours=1))), "Idempotency-Key": f"k-{name}"}


def test_review_counts_the_paid_orders_and_exports(client, tokens, container):
    sid, sku = f.live_session_with(client, tokens, stock=100)
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 10}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    paid = 0
    for i in range(3):
        r = client.post(f"/api/v1/flash-sales/{fid}/purchases", headers=buyer(container, f"b{i}"),
                        json={"quantity": 1})
        assert r.status_code == 201, r.text
        if i < 2:
            pay = client.post(f"/api/v1/orders/{r.json()['order_id']}/pay",
                              headers=buyer(container, f"b{i}"), json={})
            assert pay.status_code == 200, pay.text
            paid += 9900
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])

    review = client.get(f"/api/v1/sessions/{sid}/review", headers=tokens["ops"]).json()
    assert review["headline"]["gmv_fen"] == paid
    assert review["headline"]["paid_orders"] == 2
    assert review["kpis"][0]["kpi"] == "gmv_fen"
    assert any(i["area"] == "kpi" for i in review["improvements"])

    denied = client.get(f"/api/v1/sessions/{sid}/review.xlsx", headers=tokens["merchant"])
    assert denied.status_code == 403  # a merchant ships orders; the review is not its to read
    x = client.get(f"/api/v1/sessions/{sid}/review.xlsx", headers=tokens["ops"])
    sheets = load_workbook(io.BytesIO(x.content)).sheetnames
    assert x.status_code == 200 and "商品" in sheets and "改进清单" in sheets
    html = client.get(f"/api/v1/sessions/{sid}/review.html", headers=tokens["host"]).text
    assert "复盘" in html and "¥198.00" in html
    bad = client.get(f"/api/v1/sessions/{sid}/review.docx", headers=tokens["ops"])
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_format"
    assert client.get("/api/v1/sessions/nope/review", headers=tokens["ops"]).status_code == 404
