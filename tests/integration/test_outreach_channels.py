"""The outreach channels against a real local HTTP server: sent, retried after a 5xx,
failed for good on a 4xx, never sent twice for one message key; and the delivery status
stored per message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from liveroom.adapters.notifications import ChannelRouter, dispatch
from liveroom.adapters.notifications_http import (
    OfficialAccountTemplate,
    SmsGateway,
    WeComRobot,
)
from liveroom.adapters.sql.deliveries import SqlDeliveryLog, delivery
from liveroom.adapters.sql.schema_tracking import campaign_notifications
from liveroom.outreach.delivery import deliver
from liveroom.outreach.model import DeliveryStatus, Message, RetryPolicy
from tests.factories import session
from tests.fake_provider import FakeProvider, fake_provider
from tests.integration.test_orders import buyer, listed_shop, order

POLICY = RetryPolicy(max_attempts=3, backoff_s=30)


@pytest.fixture
def http() -> Any:
    with httpx.Client(timeout=2) as client:
        yield client


def msg(key: str, channel: str = "sms", kind: str = "unpaid_reminder") -> Message:
    return Message(key, "13800000000", channel, kind, "您的订单还未支付", {"order_id": "o1"})


def test_an_sms_is_sent_with_its_key_and_recorded_sent(container, clock, http) -> None:  # type: ignore[no-untyped-def]
    record = SqlDeliveryLog(container.engine.begin)
    with fake_provider((200, {"id": "gw-1"})) as fake:
        sms = SmsGateway(fake.url + "/send", "tok", "【直播间】", http)
        status, _ = deliver(record, sms, msg("m-ok"), clock.now(), POLICY)
    assert status == DeliveryStatus.SENT
    assert fake.seen[0].headers["Idempotency-Key"] == "m-ok"
    assert fake.seen[0].headers["Authorization"] == "Bearer tok"
    assert fake.seen[0].body == {"to": "13800000000", "text": "您的订单还未支付",
                                 "sign": "【直播间】", "message_key": "m-ok"}
    with container.engine.connect() as conn:
        row = delivery(conn, "m-ok")
    assert row is not None
    assert (row["status"], row["attempts"], row["provider_ref"]) == ("sent", 1, "gw-1")


def test_a_5xx_is_retried_later_with_backoff_then_sent(container, clock, http) -> None:  # type: ignore[no-untyped-def]
    record = SqlDeliveryLog(container.engine.begin)
    with fake_provider((503, {"error": "busy"})) as fake:
        sms = SmsGateway(fake.url + "/send", "tok", "", http)
        first, retry_at = deliver(record, sms, msg("m-5xx"), clock.now(), POLICY)
        # not due yet: nothing is sent before the backoff has passed
        early, _ = deliver(record, sms, msg("m-5xx"), clock.now(), POLICY)
        clock.advance(seconds=30)
        second, _ = deliver(record, sms, msg("m-5xx"), clock.now(), POLICY)
    assert (first, early, second) == (DeliveryStatus.QUEUED, DeliveryStatus.QUEUED,
                                      DeliveryStatus.SENT)
    assert retry_at - (clock.now() - timedelta(seconds=30)) == timedelta(seconds=30)
    assert len(fake.seen) == 2
    assert {s.headers["Idempotency-Key"] for s in fake.seen} == {"m-5xx"}


def test_retries_are_bounded(container, clock, http) -> None:  # type: ignore[no-untyped-def]
    record = SqlDeliveryLog(container.engine.begin)
    with fake_provider(*[(500, {})] * 5) as fake:
        sms = SmsGateway(fake.url + "/send", "tok", "", http)
        outcomes = []
        for _ in range(5):
            outcomes.append(deliver(record, sms, msg("m-down"), clock.now(), POLICY)[0])
            clock.advance(hours=1)
    assert outcomes[2] == DeliveryStatus.FAILED and len(fake.seen) == 3


def test_a_4xx_fails_for_good_without_a_retry(container, clock, http) -> None:  # type: ignore[no-untyped-def]
    record = SqlDeliveryLog(container.engine.begin)
    with fake_provider((400, {"error": "bad number"})) as fake:
        sms = SmsGateway(fake.url + "/send", "tok", "", http)
        status, _ = deliver(record, sms, msg("m-4xx"), clock.now(), POLICY)
        clock.advance(hours=2)
        again, _ = deliver(record, sms, msg("m-4xx"), clock.now(), POLICY)
    assert (status, again) == (DeliveryStatus.FAILED, DeliveryStatus.FAILED)
    assert len(fake.seen) == 1
    with container.engine.connect() as conn:
        row = delivery(conn, "m-4xx")
    assert row is not None and "400" in row["reason"]


def test_a_message_key_already_sent_is_never_sent_again(container, clock, http) -> None:  # type: ignore[no-untyped-def]
    record = SqlDeliveryLog(container.engine.begin)
    with fake_provider() as fake:
        robot = WeComRobot(fake.url + "/cgi-bin/webhook/send?key=abc", http)
        once = deliver(record, robot, msg("m-dup", "wecom"), clock.now(), POLICY)[0]
        twice = deliver(record, robot, msg("m-dup", "wecom"), clock.now(), POLICY)[0]
    assert (once, twice) == (DeliveryStatus.SENT, DeliveryStatus.SENT)
    assert len(fake.seen) == 1
    assert fake.seen[0].path == "/cgi-bin/webhook/send?key=abc"
    assert fake.seen[0].body == {"msgtype": "text", "text": {"content": "您的订单还未支付"}}


def test_a_wechat_errcode_is_read_even_with_http_200(container, clock, http) -> None:  # type: ignore[no-untyped-def]
    record = SqlDeliveryLog(container.engine.begin)
    with fake_provider((200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
                       (200, {"errcode": 93000, "errmsg": "invalid webhook url"})) as fake:
        robot = WeComRobot(fake.url + "/hook?key=k", http)
        busy = deliver(record, robot, msg("m-busy", "wecom"), clock.now(), POLICY)[0]
        bad = deliver(record, robot, msg("m-bad", "wecom"), clock.now(), POLICY)[0]
    assert (busy, bad) == (DeliveryStatus.QUEUED, DeliveryStatus.FAILED)


def test_a_template_message_carries_template_fields_and_its_key(container, clock, http) -> None:  # type: ignore[no-untyped-def]
    record = SqlDeliveryLog(container.engine.begin)
    with fake_provider((200, {"errcode": 0, "msgid": 42})) as fake:
        oa = OfficialAccountTemplate(fake.url, "ACCESS", {"unpaid_reminder": "TPL-1"}, http)
        status = deliver(record, oa, msg("m-oa", "official_account"), clock.now(), POLICY)[0]
        unknown = deliver(record, oa, msg("m-oa2", "official_account", "other"), clock.now(),
                          POLICY)[0]
    assert (status, unknown) == (DeliveryStatus.SENT, DeliveryStatus.FAILED)
    seen = fake.seen[0]
    assert seen.path == "/cgi-bin/message/template/send?access_token=ACCESS"
    assert seen.body["template_id"] == "TPL-1" and seen.body["client_msg_id"] == "m-oa"
    assert seen.body["data"]["order_id"] == {"value": "o1"}
    assert len(fake.seen) == 1  # no template: refused before any request


def test_campaign_dispatch_routes_by_channel_and_stores_each_outcome(  # type: ignore[no-untyped-def]
        client, tokens, container, clock, http) -> None:
    sid = session(client, tokens["ops"])
    now = clock.now()
    with container.engine.begin() as conn:
        for i, (buyer, channel) in enumerate([("b1", "sms"), ("b2", "sms"), ("b3", "log")]):
            conn.execute(campaign_notifications.insert().values(
                id=f"cn-{i}", session_id=sid, buyer_id=buyer, kind="go_live",
                channel=channel, text="开播啦", status="queued", created_at=now))
    with fake_provider((200, {"id": "a"}), (502, {})) as fake:
        router = ChannelRouter({"sms": SmsGateway(fake.url + "/send", "t", "", http)},
                               policy=POLICY)
        counts = dispatch(container.engine, router, clock, sid)
        clock.advance(minutes=1)
        later = dispatch(container.engine, router, clock, sid)
    assert counts == {"sent": 2, "failed": 0, "retrying": 1}
    assert later == {"sent": 1, "failed": 0, "retrying": 0}
    assert [m.recipient for m in router.sent] == ["b3"]
    with container.engine.connect() as conn:
        statuses = dict(conn.execute(select(campaign_notifications.c.id,
                                            campaign_notifications.c.status)).all())
    assert set(statuses.values()) == {"sent"}


@pytest.fixture
def sms_gateway(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fake SMS gateway configured as the buyers' channel (before the container exists)."""
    with fake_provider() as fake:
        monkeypatch.setenv("LIVEROOM_SMS_URL", fake.url + "/sms")
        monkeypatch.setenv("LIVEROOM_NOTIFY_BUYER_CHANNEL", "sms")
        yield fake


def test_the_unpaid_reminder_goes_out_by_sms_once_and_its_promise_is_kept(  # type: ignore[no-untyped-def]
        sms_gateway: FakeProvider, client, tokens, container, clock) -> None:
    # given an unpaid order whose reminder falls due
    sid, sku = listed_shop(client, tokens, stock=3)
    nia = buyer(container, "nia")
    oid = order(client, sid, nia, "sms-1", items=[{"sku_id": sku, "quantity": 1}]
                ).json()["order_id"]
    clock.advance(minutes=11)
    # when the sweeper runs twice
    work = container.order_work
    client.portal.call(work.sweep_once)
    client.portal.call(work.sweep_once)
    # then one SMS went to the gateway, with the reminder's words and its key
    assert len(sms_gateway.seen) == 1
    assert "立减" in sms_gateway.seen[0].body["text"]
    # and paying now takes the promised ¥5 off
    paid = client.post(f"/api/v1/orders/{oid}/pay", headers=nia)
    assert paid.json()["incentive_fen"] == 500
