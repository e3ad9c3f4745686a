"""Least privilege through HTTP: a connector reads nothing, a merchant sees the paid orders it
ships and no costs, reviews or viewers' paths, a host works its question queue; reads of
buyers' contacts are audited (who, when, what)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from liveroom.entrypoints.api.routes_web import csrf_for
from liveroom.identity.model import issue_buyer_jwt
from tests.conftest import auth
from tests.factories import live_session_with

CONTACT = {"name": "张三", "phone": "13812345678", "address": "浙江省杭州市西湖区文三路 100 号"}


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")


def buyer(container: Any, name: str) -> dict[str, str]:
    return auth(issue_buyer_jwt(name, container.settings.buyer_secret, datetime.now(UTC),
                                timedelta(hours=1)))


def shop_with_orders(client: TestClient, tokens: Any, container: Any) -> tuple[str, str, str]:
    """A live session with one paid and one unpaid order, both with a contact."""
    sid, sku = live_session_with(client, tokens, live_price_fen=12000)
    assert client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list",
                       headers=tokens["console"]).status_code == 200
    ids = []
    for name in ("paid-buyer", "unpaid-buyer"):
        r = client.post(f"/api/v1/sessions/{sid}/orders",
                        headers={**buyer(container, name), "Idempotency-Key": name},
                        json={"items": [{"sku_id": sku, "quantity": 1}], "contact": CONTACT})
        assert r.status_code == 201, r.text
        ids.append(r.json()["order_id"])
    assert client.post(f"/api/v1/orders/{ids[0]}/pay",
                       headers=buyer(container, "paid-buyer")).status_code == 200
    return sid, ids[0], ids[1]


def reads(client: TestClient, sid: str, pid: str) -> list[str]:
    return [f"/api/v1/products/{pid}", "/api/v1/products", f"/api/v1/sessions/{sid}",
            f"/api/v1/sessions/{sid}/lineup", f"/api/v1/sessions/{sid}/metrics/live",
            f"/api/v1/sessions/{sid}/review", f"/api/v1/sessions/{sid}/review.xlsx",
            f"/api/v1/sessions/{sid}/viewers/v1/path", f"/api/v1/sessions/{sid}/links",
            f"/api/v1/sessions/{sid}/coupons", f"/api/v1/sessions/{sid}/campaign"]


def test_a_connector_pushes_comments_and_reads_nothing(
        client: TestClient, tokens: Any, container: Any, clock: Any) -> None:
    # given a live session with orders and a connector token
    sid, _, _ = shop_with_orders(client, tokens, container)
    pid = client.get("/api/v1/products", headers=tokens["ops"]).json()["items"][0]["id"]
    # when the connector pushes a comment
    pushed = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                         json={"comments": [{"buyer_id": "v1", "text": "几号链接",
                                             "ts": clock.now().isoformat()}]})
    # then that works, and every read is refused
    assert pushed.status_code == 202, pushed.text
    for url in [*reads(client, sid, pid), "/api/v1/sessions", f"/api/v1/sessions/{sid}/orders",
                f"/api/v1/sessions/{sid}/comments", f"/api/v1/sessions/{sid}/questions",
                f"/api/v1/sessions/{sid}/faq", f"/api/v1/sessions/{sid}/audit"]:
        r = client.get(url, headers=tokens["connector"])
        assert r.status_code == 403, (url, r.status_code)
        assert r.json()["code"] == "forbidden"


def test_a_merchant_sees_paid_orders_with_contacts_and_nothing_of_costs_or_reviews(
        client: TestClient, tokens: Any, container: Any) -> None:
    # given a session with one paid and one unpaid order
    sid, paid, unpaid = shop_with_orders(client, tokens, container)
    pid = client.get("/api/v1/products", headers=tokens["ops"]).json()["items"][0]["id"]
    m = tokens["merchant"]
    # when the merchant lists and exports the session's orders
    listed = client.get(f"/api/v1/sessions/{sid}/orders", headers=m).json()
    text = client.get(f"/api/v1/sessions/{sid}/orders?format=csv", headers=m
                      ).content.decode("utf-8-sig")
    # then it sees the paid order it must ship, with the address, and not the unpaid one
    assert [o["id"] for o in listed["items"]] == [paid] and listed["total"] == 1
    assert listed["items"][0]["contact"]["address"] == CONTACT["address"]
    assert [row["id"] for row in csv.DictReader(io.StringIO(text))] == [paid]
    assert client.get(f"/api/v1/orders/{paid}", headers=m).status_code == 200
    assert client.get(f"/api/v1/orders/{unpaid}", headers=m).status_code == 404
    asked = client.get(f"/api/v1/sessions/{sid}/orders?status=reserved", headers=m)
    assert asked.status_code == 403
    # and it can find the sessions and ship, but reads no costs, metrics, reviews or paths
    sessions = client.get("/api/v1/sessions", headers=m).json()
    assert sessions["total"] == 1 and sessions["items"][0]["id"] == sid
    assert "channel_budget" not in sessions["items"][0] and "targets" not in sessions["items"][0]
    shipped = client.put(f"/api/v1/orders/{paid}/shipping", headers=m,
                         json={"carrier": "SF", "tracking_no": "SF1"})
    assert shipped.status_code == 200, shipped.text
    for url in reads(client, sid, pid):
        assert client.get(url, headers=m).status_code == 403, url
    # while cs still sees every order
    every = client.get(f"/api/v1/sessions/{sid}/orders", headers=tokens["cs"]).json()
    assert {o["id"] for o in every["items"]} == {paid, unpaid}


def test_the_host_answers_and_dismisses_the_question_queue(
        client: TestClient, tokens: Any, clock: Any) -> None:
    # given a live session whose viewers asked two questions
    sid, _ = live_session_with(client, tokens)
    client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"], json={
        "comments": [{"buyer_id": "a", "text": "什么时候发货", "ts": clock.now().isoformat()},
                     {"buyer_id": "b", "text": "能退货吗", "ts": clock.now().isoformat()}]})
    cards = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
    ids = {c["text"]: c["id"] for c in cards["items"]}
    # when the host answers one and dismisses the other
    answered = client.post(f"/api/v1/questions/{ids['什么时候发货']}/answer",
                           headers=tokens["host"], json={"text": "48小时内发货"})
    dismissed = client.post(f"/api/v1/questions/{ids['能退货吗']}/dismiss",
                            headers=tokens["host"])
    # then both work (they were 403 while the console page offered the buttons)
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    # and on the console page, whose buttons post the same commands
    client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"], json={
        "comments": [{"buyer_id": "c", "text": "有优惠券吗", "ts": clock.now().isoformat()}]})
    card = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]
                      ).json()["items"][0]
    token = tokens["host"]["Authorization"].split()[1]
    client.cookies.set("liveroom_token", token)
    page = client.post(f"/console/{sid}/questions/{card['id']}/dismiss",
                       headers={"X-CSRF-Token": csrf_for(token)})
    client.cookies.clear()
    assert page.status_code == 200 and 'class="flash error"' not in page.text
    assert client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]
                      ).json()["total"] == 0
    # but moderating buyers stays with console and cs
    muted = client.post(f"/api/v1/sessions/{sid}/moderation/mute", headers=tokens["host"],
                        json={"buyer_id": "a", "minutes": 5, "reason": "x"})
    assert muted.status_code == 403


def audit_actions(client: TestClient, tokens: Any, sid: str) -> list[dict[str, Any]]:
    items = client.get(f"/api/v1/sessions/{sid}/audit?limit=500",
                       headers=tokens["admin"]).json()["items"]
    return [i for i in items if i["action"].startswith("orders.contact")
            or i["action"] == "orders.export"]


def test_reads_and_exports_of_contacts_are_audited_with_who_when_and_what(
        client: TestClient, tokens: Any, container: Any) -> None:
    # given a session with orders carrying contacts
    sid, paid, _ = shop_with_orders(client, tokens, container)
    assert audit_actions(client, tokens, sid) == []
    # when cs reads one order, lists the orders and exports them twice
    assert client.get(f"/api/v1/orders/{paid}", headers=tokens["cs"]).status_code == 200
    client.get(f"/api/v1/sessions/{sid}/orders", headers=tokens["cs"])
    client.get(f"/api/v1/sessions/{sid}/orders?format=csv", headers=tokens["cs"])
    client.get(f"/api/v1/sessions/{sid}/orders?format=xlsx", headers=tokens["merchant"])
    # and ops reads them masked, and the buyer reads their own
    client.get(f"/api/v1/sessions/{sid}/orders?format=csv", headers=tokens["ops"])
    client.get(f"/api/v1/orders/{paid}", headers=buyer(container, "paid-buyer"))
    # then each unmasked read left one record naming the reader, the time and the data
    records = audit_actions(client, tokens, sid)
    assert [(r["action"], r["actor_name"]) for r in records] == [
        ("orders.contact_read", "cs-user"), ("orders.contact_list", "cs-user"),
        ("orders.export", "cs-user"), ("orders.export", "merchant-user")]
    assert records[0]["target"] == paid and records[0]["at"]
    assert records[2]["after"] == {"orders": 2, "format": "csv"}
    assert records[3]["after"] == {"orders": 1, "format": "xlsx"}  # the merchant: paid only
