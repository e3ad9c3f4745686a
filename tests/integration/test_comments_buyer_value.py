"""Buyer value in the question queue: what an asker paid in this session lifts their card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from liveroom.core.clock import FixedClock
from liveroom.identity.model import issue_buyer_jwt
from tests.factories import live_session_with

CONTACT = {"name": "张三", "phone": "13812345678", "address": "浙江省杭州市西湖区文三路 100 号"}


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")


def _ask(client: TestClient, tokens: Any, sid: str, clock: FixedClock, buyer: str,
         text: str) -> None:
    r = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"], json={
        "comments": [{"buyer_id": buyer, "text": text, "ts": clock.now().isoformat()}]})
    assert r.status_code == 202, r.text


def _pay(client: TestClient, container: Any, sid: str, sku: str, buyer: str) -> None:
    headers = {"Authorization": "Bearer " + issue_buyer_jwt(
        buyer, container.settings.buyer_secret, datetime.now(UTC), timedelta(days=1))}
    r = client.post(f"/api/v1/sessions/{sid}/orders",
                    headers={**headers, "Idempotency-Key": f"{buyer}-1"},
                    json={"items": [{"sku_id": sku, "quantity": 2}], "contact": CONTACT})
    assert r.status_code in (200, 201), r.text
    r = client.post(f"/api/v1/orders/{r.json()['order_id']}/pay", headers=headers)
    assert r.status_code == 200, r.text


def _queue(client: TestClient, tokens: Any, sid: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"])
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_a_big_spenders_question_ranks_above_an_equal_one_from_a_newcomer(
        client: TestClient, tokens: Any, clock: FixedClock, container: Any) -> None:
    # given a newcomer asking first and a buyer asking an equally urgent question after
    sid, sku = live_session_with(client, tokens, live_price_fen=12000)
    r = client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    assert r.status_code == 200, r.text
    _ask(client, tokens, sid, clock, "newbie", "面料是什么")
    clock.advance(seconds=1)
    _ask(client, tokens, sid, clock, "whale", "能机洗吗")
    before = _queue(client, tokens, sid)
    assert [c["askers"] for c in before] == [["newbie"], ["whale"]]  # earlier first
    assert before[0]["intent"] == before[1]["intent"] and before[0]["count"] == 1
    # when the second asker pays ¥240 in this session (after asking)
    _pay(client, container, sid, sku, "whale")
    # then their card moves up, carrying the value
    after = _queue(client, tokens, sid)
    assert [c["askers"] for c in after] == [["whale"], ["newbie"]]
    assert after[0]["buyer_value_fen"] == 24000 and after[1]["buyer_value_fen"] == 0
    # and a room rebuilt from the database (a restart) ranks them the same way
    container.comment_rooms.drop(sid)
    assert [c["askers"] for c in _queue(client, tokens, sid)] == [["whale"], ["newbie"]]


def test_the_periodic_refresh_reads_paid_gmv_from_the_orders_table(
        client: TestClient, tokens: Any, clock: FixedClock, container: Any) -> None:
    # given a loaded room whose buyer values were lost (as if the event never arrived)
    sid, sku = live_session_with(client, tokens, live_price_fen=12000)
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    _ask(client, tokens, sid, clock, "whale", "能机洗吗")
    _pay(client, container, sid, sku, "whale")
    room = container.comment_rooms.loaded(sid)
    room.set_buyer_values({})
    # when the refresher runs
    container.comment_pipeline.refresh_buyer_values()
    # then the value is back from the orders table
    assert room.buyer_values == {"whale": 24000}
