"""The plan page (/sessions/{sid}/plan): the plan checker's warnings in words next to the
segment or product they concern, refused prices in their row, the checklist with due times
and who ticked what, going live with open items, and the rehearsal's test order kept out
of every figure."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from liveroom.identity.model import issue_buyer_jwt
from tests import factories as f
from tests.conftest import auth
from tests.integration.test_catalog_page import signed_in
from tests.integration.test_signin_and_users import visible

LOOP = {"explain": "材质与做工", "engage": "扣1抽奖", "close": "最后100件"}


def row(html: str, row_id: str) -> str:
    found = re.search(rf'<tr id="{row_id}".*?</tr>', html, flags=re.S)
    assert found, row_id
    return visible(found.group(0))


def planned_show(client: Any, tokens: Any) -> tuple[str, dict[str, Any]]:
    ops = tokens["ops"]
    items = {"coffee": f.product(client, ops, name="挂耳咖啡", tier="traffic", price_fen=990,
                                 cost_fen=500, stock=300),
             "fryer": f.product(client, ops, name="空气炸锅", tier="flagship", price_fen=39900,
                                cost_fen=20000, stock=500)}
    sid = f.session(client, ops)
    r = client.put(f"/api/v1/sessions/{sid}/lineup", headers=ops, json={"items": [
        {"sku_id": items["coffee"]["sku_id"], "live_price_fen": 990},
        {"sku_id": items["fryer"]["sku_id"], "live_price_fen": 32900}]})
    assert r.status_code == 200, r.text
    r = client.put(f"/api/v1/sessions/{sid}/segments", headers=ops, json={"segments": [
        {"kind": "opening", "start_minute": 0, "duration_minutes": 2,
         "sku_id": items["coffee"]["sku_id"], "giveaway": True},
        {"kind": "product", "start_minute": 2, "duration_minutes": 6,
         "sku_id": items["fryer"]["sku_id"]}]})
    assert r.status_code == 200, r.text
    return sid, items


def segment_form(segments: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The run-of-show table as the page posts it (plus the empty last row)."""
    cols: dict[str, list[str]] = {k: [] for k in (
        "start", "length", "kind", "sku", "title", "giveaway", "explain", "engage", "close",
        "script")}
    for s in [*segments, {"start": "", "length": "", "kind": "product"}]:
        for k in cols:
            cols[k].append(str(s.get(k, "")))
    return cols


def test_warnings_stand_next_to_their_segment_in_words_and_go_when_fixed(
        client, tokens) -> None:  # type: ignore[no-untyped-def]
    sid, items = planned_show(client, tokens)
    h = signed_in(client, tokens, "ops")
    html = client.get(f"/sessions/{sid}/plan").text
    second = row(html, "seg-2")
    assert "Flagship item “空气炸锅” in the first 5 minutes" in second
    assert "misses Explain, Engage, Close the sale" in second
    assert "From minute 0 to 120, 120 minutes without a new giveaway" in row(html, "seg-1")
    assert "No contingency script for: Equipment failure, Out of stock, Slip of the tongue" \
        in visible(html)
    for raw in ("flagship_too_early", "loop_incomplete", "giveaway_gap", "+00:00", "None"):
        assert raw not in visible(html), raw
    # fixed on the page: the flagship after the opening, the loop written, giveaways placed
    coffee, fryer = items["coffee"]["sku_id"], items["fryer"]["sku_id"]
    segs = [{"start": 0, "length": 5, "kind": "opening", "sku": coffee, "giveaway": "1"}]
    segs += [{"start": m, "length": 8, "kind": "product", "sku": fryer,
              "giveaway": "1" if m % 20 == 5 else "0", **LOOP} for m in range(5, 110, 10)]
    r = client.post(f"/sessions/{sid}/plan/segments", data=segment_form(segs), headers=h)
    assert "Run-of-show saved." in r.text, visible(r.text)
    r = client.post(f"/sessions/{sid}/plan/contingency", headers=h, data={
        "equipment_failure": "切到备用机位，助播口播", "out_of_stock": "换同款并致歉",
        "slip_of_tongue": "立即更正，以页面价格为准"})
    assert "Plan check: no warnings" in visible(r.text), visible(r.text)
    detail = client.get(f"/api/v1/sessions/{sid}", headers=tokens["ops"]).json()
    assert detail["segments"][1]["loop"] == LOOP and detail["warnings"] == []
    assert detail["contingency"]["out_of_stock"] == "换同款并致歉"


def test_a_new_show_from_the_sessions_list_opens_its_empty_plan(client, tokens) -> None:  # type: ignore[no-untyped-def]
    h = signed_in(client, tokens, "ops")
    assert "Plan a new show" in client.get("/").text
    r = client.post("/sessions/new", headers=h, data={
        "title": "周五厨房好物节", "start": "2026-12-04T19:00", "duration": "120"})
    plan = r.headers["HX-Redirect"]
    text = visible(client.get(plan).text)
    assert "Starts 2026-12-04 19:00" in text  # typed in Beijing time, shown in Beijing time
    assert "The lineup has no products yet." in text
    assert "Plan" in visible(client.get("/").text)
    bad = client.post("/sessions/new", headers=h, data={
        "title": "x", "start": "not a time", "duration": "120"})
    assert 'data-code="invalid_time"' in bad.text


def test_the_page_speaks_chinese_by_default(client, tokens) -> None:  # type: ignore[no-untyped-def]
    sid, _ = planned_show(client, tokens)
    signed_in(client, tokens, "ops")
    client.cookies.delete("liveroom_locale")
    text = visible(client.get(f"/sessions/{sid}/plan").text)
    assert "战略款“空气炸锅”" in text and "应急预案" in text and "开播前检查" in text
    assert "讲解、互动、逼单" in text


def test_a_refused_live_price_is_shown_in_its_row_and_nothing_changes(
        client, tokens) -> None:  # type: ignore[no-untyped-def]
    sid, items = planned_show(client, tokens)
    h = signed_in(client, tokens, "ops")
    fryer = items["fryer"]["sku_id"]
    r = client.post(f"/sessions/{sid}/plan/lineup/{fryer}", headers=h, data={
        "price": "19", "flash": "0", "feature": "双层加热"})
    assert "空气炸锅 默认: refused, below cost price" in row(r.text, "row-2")
    lineup = client.get(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"]).json()
    assert [i["live_price_fen"] for i in lineup["items"]] == [990, 32900]
    r = client.post(f"/sessions/{sid}/plan/lineup/{fryer}", headers=h, data={
        "price": "299", "flash": "800", "feature": "双层加热", "advantage": "不用翻面",
        "benefit": "少油更健康", "evidence": "检测报告"})
    assert "flash-sale quantity 800 is above the stock of 500" in row(r.text, "row-2")
    lineup = client.get(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"]).json()
    assert lineup["items"][1]["talking_points"]["evidence"] == "检测报告"


def test_checklist_due_times_who_ticked_and_going_live_names_the_open_items(
        client, tokens) -> None:  # type: ignore[no-untyped-def]
    sid, _ = planned_show(client, tokens)
    h = signed_in(client, tokens, "console")
    html = client.post(f"/sessions/{sid}/plan/checklist/devices", data={"ok": "1"},
                       headers=h).text
    devices = visible(re.search(r'<tr data-item="devices".*?</tr>', html, re.S).group(0))
    assert "11-27 16:00" in devices  # due 3 h before the 19:00 slot, Beijing time
    assert "console" in devices and "Ticked" in devices
    approval = visible(re.search(r'<tr data-item="platform_approval".*?</tr>', html,
                                 re.S).group(0))
    assert "11-25 19:00" in approval  # the platform's approval: two days before
    r = client.post(f"/api/v1/sessions/{sid}/start", headers=tokens["console"])
    assert r.status_code == 200
    warning = r.json()["warnings"][0]
    assert warning["code"] == "checklist_unticked"
    assert warning["items"] == ["sound", "picture", "network", "order_flow",
                                "platform_approval"]


def test_the_console_names_unticked_items_when_going_live(client, tokens) -> None:  # type: ignore[no-untyped-def]
    sid, _ = planned_show(client, tokens)
    h = signed_in(client, tokens, "console")
    for item in ("devices", "sound", "picture", "network", "order_flow"):
        client.post(f"/sessions/{sid}/plan/checklist/{item}", data={"ok": "1"}, headers=h)
    text = visible(client.post(f"/console/{sid}/state/start", headers=h).text)
    assert "On air" in text and "Platform approval of the products" in text
    assert "Devices" not in text


def buyer(container: Any, name: str) -> dict[str, str]:
    return {**auth(issue_buyer_jwt(name, container.settings.buyer_secret, datetime.now(UTC),
                                   timedelta(hours=1))), "Idempotency-Key": f"k-{name}"}


def test_a_rehearsal_test_order_is_paid_refunded_and_kept_out_of_every_figure(
        client, tokens, container) -> None:  # type: ignore[no-untyped-def]
    sid, items = planned_show(client, tokens)
    coffee = items["coffee"]["sku_id"]
    h = signed_in(client, tokens, "console")
    r = client.post(f"/sessions/{sid}/plan/test-orders", data={"sku_id": coffee}, headers=h)
    assert 'data-code="session_not_rehearsing"' in r.text
    assert "Rehearsal started" in client.post(f"/sessions/{sid}/plan/rehearse", headers=h).text
    r = client.post(f"/sessions/{sid}/plan/test-orders", data={"sku_id": coffee}, headers=h)
    oid = re.search(r"/test-orders/(\w+)/pay", r.text).group(1)
    assert "Awaiting payment" in visible(r.text) and "¥0.01" in visible(r.text)
    assert "Test order paid" in client.post(f"/sessions/{sid}/plan/test-orders/{oid}/pay",
                                            headers=h).text
    # kept out while paid, too: metrics and member points
    client.post(f"/api/v1/sessions/{sid}/start", headers=tokens["console"])
    m = client.get(f"/api/v1/sessions/{sid}/metrics/live", headers=tokens["ops"]).json()
    assert (m["gmv_fen"], m["orders"]) == (0, 0)
    r = client.post(f"/sessions/{sid}/plan/test-orders/{oid}/refund", headers=h)
    assert "Test order refunded" in r.text, visible(r.text)
    stock = client.get(f"/api/v1/products/{items['coffee']['id']}",
                       headers=tokens["ops"]).json()["skus"][0]["stock"]
    assert stock == 300  # the unit went back on sale
    # a real order in the show
    assert client.post(f"/api/v1/sessions/{sid}/skus/{coffee}/list",
                       headers=tokens["console"]).status_code == 200
    real = client.post(f"/api/v1/sessions/{sid}/orders", headers=buyer(container, "b1"),
                       json={"items": [{"sku_id": coffee, "quantity": 2}]})
    assert real.status_code == 201, real.text
    assert client.post(f"/api/v1/orders/{real.json()['order_id']}/pay",
                       headers=buyer(container, "b1"), json={}).status_code == 200
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])
    m = client.get(f"/api/v1/sessions/{sid}/metrics/live", headers=tokens["ops"]).json()
    review = client.get(f"/api/v1/sessions/{sid}/review", headers=tokens["ops"]).json()
    total = real.json()["total_fen"]
    assert (m["gmv_fen"], m["orders"], m["paid_orders"]) == (total, 1, 1)
    assert (review["headline"]["gmv_fen"], review["headline"]["paid_orders"]) == (total, 1)
    listed = client.get(f"/api/v1/sessions/{sid}/orders", headers=tokens["ops"]).json()
    assert [o["buyer_id"] for o in listed["items"]] == ["b1"]
    csv = client.get(f"/api/v1/sessions/{sid}/orders?format=csv", headers=tokens["ops"]).text
    assert oid not in csv and "rehearsal:" not in csv
    member = client.get("/api/v1/members/rehearsal:console", headers=tokens["ops"])
    assert member.status_code == 404 or (member.json()["points"], member.json()["orders"]) \
        == (0, 0), member.text  # no points, no orders for the test buyer
