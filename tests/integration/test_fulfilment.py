"""Fulfilment through HTTP: ship-by dates from lead times confirmed by the merchant, the
bulk shipping sheet with per-row errors, forward-only shipping with its history."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from tests.integration.test_orders import buyer, listed_shop, order


def paid_order(client: Any, tokens: Any, container: Any, key: str, **kw: Any) -> str:
    sid, sku = listed_shop(client, tokens, **kw)
    who = buyer(container, f"b-{key}")
    oid = str(order(client, sid, who, key, items=[{"sku_id": sku, "quantity": 1}]
                    ).json()["order_id"])
    assert client.post(f"/api/v1/orders/{oid}/pay", headers=who).status_code == 200
    return oid


def upload(client: Any, headers: dict[str, str], name: str, data: bytes) -> Any:
    return client.post("/api/v1/fulfilment/shipping-sheet", headers=headers,
                       files={"file": (name, data)})


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    lines = ["订单号,快递公司,运单号,状态", *(",".join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode(encoding)


def to_ship(client: Any, headers: dict[str, str], show: str = "open") -> dict[str, Any]:
    r = client.get(f"/api/v1/fulfilment/orders?show={show}", headers=headers)
    assert r.status_code == 200, r.text
    return {i["order_id"]: i for i in r.json()["items"]}


def test_ship_by_comes_from_the_lead_time_and_the_merchant_confirms_it(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given an order paid at 18:00 Shanghai time for a SKU that ships within 3 days
    oid = paid_order(client, tokens, container, "sb", ship_lead_days=3)
    # then its ship-by day is three local days later, not yet confirmed
    item = to_ship(client, tokens["merchant"])[oid]
    assert (item["ship_by"], item["confirmed"], item["overdue"]) == ("2026-11-30", False, False)
    # when ops tries to confirm it: only the merchant promises the date
    assert client.post(f"/api/v1/orders/{oid}/ship-by", headers=tokens["ops"], json={}
                       ).status_code == 403
    # when the merchant confirms, then moves it two days later
    ok = client.post(f"/api/v1/orders/{oid}/ship-by", headers=tokens["merchant"], json={})
    assert ok.status_code == 200 and ok.json()["adjusted"] is False
    moved = client.post(f"/api/v1/orders/{oid}/ship-by", headers=tokens["merchant"],
                        json={"ship_by": "2026-12-02", "note": "厂家补货"})
    assert moved.status_code == 200, moved.text
    item = to_ship(client, tokens["ops"])[oid]
    assert (item["ship_by"], item["confirmed"], item["adjusted"]) == ("2026-12-02", True, True)
    # and both are in the audit trail
    with container.engine.connect() as conn:
        audited = conn.execute(select(t.audit_log.c.after).where(
            t.audit_log.c.action == "fulfilment.ship_by", t.audit_log.c.target == oid)).all()
    assert [a.after["ship_by"] for a in audited] == ["2026-11-30", "2026-12-02"]
    # a date before the payment is refused
    early = client.post(f"/api/v1/orders/{oid}/ship-by", headers=tokens["merchant"],
                        json={"ship_by": "2026-11-01"})
    assert early.status_code == 422 and early.json()["code"] == "ship_by_before_payment"
    # when the day passes unshipped, it is overdue
    clock.advance(days=6)
    assert to_ship(client, tokens["merchant"])[oid]["overdue"] is True


def test_a_shipping_sheet_applies_good_rows_and_names_each_bad_one(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    # given two paid orders and a CSV saved by Excel on a Chinese Windows (GB18030)
    one = paid_order(client, tokens, container, "s1")
    two = paid_order(client, tokens, container, "s2")
    data = csv_bytes([[one, "顺丰速运", "SF100", "已发货"], ["nope", "中通", "ZT1", ""],
                      [two, "中通", "", ""], [two, "中通", "ZT2", "丢件"],
                      [one, "顺丰速运", "SF100", ""]], "gb18030")
    # when a merchant uploads it
    r = upload(client, tokens["merchant"], "发货.csv", data)
    # then the good row is applied and every other row comes back with its line and why
    assert r.status_code == 200, r.text
    assert r.json()["applied"] == 1
    assert [(e["line"], e["code"]) for e in r.json()["errors"]] == [
        (3, "order_not_found"), (4, "missing_field"), (5, "unknown_shipping_status"),
        (6, "duplicate_order")]
    assert one not in to_ship(client, tokens["ops"]) and two in to_ship(client, tokens["ops"])
    # when the same sheet row comes again, nothing changes and nothing is an error
    again = upload(client, tokens["merchant"], "again.csv",
                   csv_bytes([[one, "顺丰速运", "SF100", "已发货"]]))
    assert (again.json()["applied"], again.json()["unchanged"], again.json()["errors"]) == (
        0, 1, [])


def test_shipping_moves_only_forward_and_keeps_its_history(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    oid = paid_order(client, tokens, container, "fw")
    put = client.put(f"/api/v1/orders/{oid}/shipping", headers=tokens["merchant"],
                     json={"carrier": "SF", "tracking_no": "SF9", "status": "shipped"})
    assert put.status_code == 200, put.text
    clock.advance(hours=20)
    wb = Workbook()
    wb.active.append(["订单号", "快递公司", "运单号", "状态"])
    wb.active.append([oid, "SF", "SF9", "已签收"])
    buf = io.BytesIO()
    wb.save(buf)
    assert upload(client, tokens["ops"], "s.xlsx", buf.getvalue()).json()["applied"] == 1
    # when someone tries to set it back to shipped, by the API or by a sheet
    back = client.put(f"/api/v1/orders/{oid}/shipping", headers=tokens["merchant"],
                      json={"carrier": "SF", "tracking_no": "SF9", "status": "in_transit"})
    assert back.status_code == 409 and back.json()["code"] == "shipping_not_forward"
    sheet_back = upload(client, tokens["ops"], "b.csv", csv_bytes([[oid, "SF", "SF9", "运输中"]]))
    assert sheet_back.json()["errors"][0]["code"] == "shipping_not_forward"
    # then the history holds the two accepted moves, oldest first, with who and how
    h = client.get(f"/api/v1/orders/{oid}/shipping-history", headers=tokens["cs"]).json()
    assert [(m["from_status"], m["to_status"], m["source"]) for m in h["history"]] == [
        (None, "shipped", "api"), ("shipped", "delivered", "sheet")]
    assert client.get(f"/api/v1/orders/{oid}", headers=tokens["cs"]).json()["shipping"][
        "status"] == "delivered"


def test_the_sheet_to_fill_lists_open_orders_without_formulas(  # type: ignore[no-untyped-def]
        client, tokens, container) -> None:
    oid = paid_order(client, tokens, container, "fill")
    r = client.get("/api/v1/fulfilment/shipping-sheet", headers=tokens["merchant"])
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("订单号", "快递公司", "运单号") and rows[1][0] == oid
    assert not any(isinstance(v, str) and v.startswith("=") for row in rows for v in row)


def test_a_file_that_is_not_a_sheet_is_refused(client, tokens) -> None:  # type: ignore[no-untyped-def]
    r = upload(client, tokens["merchant"], "x.xlsx", b"not a zip")
    assert r.status_code == 422 and r.json()["code"] == "invalid_sheet"
