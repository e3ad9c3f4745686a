"""The console's audit trail (操作记录) says what happened after the show in words: each
after-sales step as a sentence with its money, the buyer and the rules named as such (never
a buyer's platform id), and no "made a change" for a step the console knows."""

from __future__ import annotations

from typing import Any

from tests.integration.test_aftersales import CS, ask, ship
from tests.integration.test_fulfilment_page import signed_in, visible
from tests.integration.test_orders import buyer, listed_shop, order


def paid(client: Any, container: Any, sid: str, sku: str, who: str) -> tuple[str, Any]:
    headers = buyer(container, who)
    r = order(client, sid, headers, f"k-{who}", items=[{"sku_id": sku, "quantity": 1}])
    assert r.status_code == 201, r.text
    assert client.post(f"/api/v1/orders/{r.json()['order_id']}/pay",
                       headers=headers).status_code == 200
    return r.json()["order_id"], headers


def test_after_sales_steps_read_as_sentences_in_the_audit_trail(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given a show with four paid ¥120 orders and their after-sales cases:
    sid, sku = listed_shop(client, tokens)
    amy, bob, cat, dan = (paid(client, container, sid, sku, w)
                          for w in ("amy-9f3k", "bob-2x7q", "cat-5m1z", "dan-8p4d"))
    # amy's full refund is approved by the rules; bob's ¥30 by the service, after an answer
    assert ask(client, amy[0], amy[1], kind="refund_only").json()["status"] == "approved"
    case = ask(client, bob[0], bob[1], kind="refund_only", amount_fen=3000).json()["id"]
    assert client.post(f"/api/v1/after-sales/{case}/answer", headers=tokens[CS],
                       json={"message": "请补一张划痕的照片"}).status_code == 200
    assert client.post(f"/api/v1/after-sales/{case}/approve", headers=tokens[CS]
                       ).status_code == 200
    # dan returns his goods in time and they arrive; cat asks too late and is turned down
    for oid, _ in (cat, dan):
        ship(client, tokens, oid)
    clock.advance(days=3)
    back = ask(client, dan[0], dan[1], kind="return").json()["id"]
    assert client.post(f"/api/v1/after-sales/{back}/receive", headers=tokens[CS]
                       ).status_code == 200
    clock.advance(days=5)
    late = ask(client, cat[0], cat[1], kind="return").json()["id"]
    assert client.post(f"/api/v1/after-sales/{late}/reject", headers=tokens[CS],
                       json={"note": "已超过7天无理由退货期"}).status_code == 200
    # when 运营 reads the audit trail on the console
    signed_in(client, tokens, "ops")
    html = client.get(f"/console/{sid}").text
    trail = visible(html.split('id="p-audit"')[1].split("</section>")[0])
    # then every step is a sentence with its money and reason
    for line in ("买家 申请仅退款 ¥120.00（不想要了）", "系统 同意了售后申请并退款 ¥120.00",
                 "买家 申请仅退款 ¥30.00（不想要了）", "cs-user 回复了买家的售后申请",
                 "cs-user 同意了售后申请并退款 ¥30.00", "买家 申请退货退款 ¥120.00（不想要了）",
                 "cs-user 确认收到退回的商品并退款 ¥120.00",
                 "cs-user 拒绝了售后申请（已超过7天无理由退货期）"):
        assert line in trail, line
    assert "做了修改" not in trail and "system" not in trail
    for who in ("amy", "bob", "cat", "dan"):
        assert who not in trail, who
