"""Members' reach through HTTP: reminders sent only with consent, outside quiet hours and at
most once a day per buyer (the database key); 晒单 approved once for its reward; an
invitation rewarded once per real new buyer and taken back on a refund."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select

from liveroom.adapters.sql.schema_crm_reach import member_message_days, member_reminders
from liveroom.adapters.sql.schema_orders import orders
from liveroom.adapters.sql.schema_tracking import reservations
from liveroom.core.ids import new_id
from tests.factories import session
from tests.integration.test_aftersales import paid_order
from tests.integration.test_members import member, pay
from tests.integration.test_orders import CONTACT, buyer, listed_shop, order


def reserve(container: Any, sid: str, who: str) -> None:
    with container.engine.begin() as conn:
        conn.execute(insert(reservations).values(session_id=sid, buyer_id=who, channel="wecom",
                                                 created_at=container.clock.now()))


def consent(client: Any, container: Any, who: str, channel: str, granted: bool = True) -> None:
    r = client.put(f"/api/v1/me/consents/{channel}", headers=buyer(container, who),
                   json={"granted": granted})
    assert r.status_code == 200, r.text


def run(client: Any, tokens: Any) -> dict[str, Any]:
    r = client.post("/api/v1/member-reminders/run", headers=tokens["ops"])
    assert r.status_code == 200, r.text
    return r.json()


def rows(container: Any) -> list[tuple[str, str | None]]:
    with container.engine.connect() as conn:
        return [(r.status, r.reason) for r in conn.execute(select(member_reminders))]


def test_reminders_need_consent_avoid_quiet_hours_and_go_once_a_day(
        client, tokens, container) -> None:
    # given (10:00 UTC = 18:00 in Shanghai) two shows two hours away, reserved by amy and
    # bob; amy agreed to WeCom messages, bob to nothing
    first = session(client, tokens["ops"], scheduled_start=(
        container.clock.now() + timedelta(hours=1)).isoformat())
    second = session(client, tokens["ops"], scheduled_start=(
        container.clock.now() + timedelta(hours=1, minutes=30)).isoformat())
    for sid in (first, second):
        reserve(container, sid, "amy")
        reserve(container, sid, "bob")
    consent(client, container, "amy", "wecom")
    # when the reminders run
    out = run(client, tokens)
    # then amy gets one message today and her second waits for tomorrow; bob gets none
    assert out["sent"] == 1 and out["skipped"] == 2 and out["deferred"] == 1, out
    assert container.notifier.sent[-1].buyer_id == "amy"
    with container.engine.connect() as conn:
        days = conn.execute(select(func.count()).select_from(member_message_days)).scalar()
    assert days == 1
    assert sorted(s for s, _ in rows(container)) == \
        ["pending", "sent", "skipped", "skipped"]
    # when it runs again the same evening, then nothing more goes out (planning is once)
    again = run(client, tokens)
    assert again["sent"] == 0 and again["planned"] == 0
    # when the clock reaches 23:30 local the next day, the deferred one is due but quiet
    container.clock.advance(hours=29, minutes=30)
    late = run(client, tokens)
    assert late["sent"] == 0 and late["deferred"] == 1
    with container.engine.connect() as conn:
        reason = conn.execute(select(member_reminders.c.reason).where(
            member_reminders.c.status == "pending")).scalar()
    assert reason == "quiet_hours"
    # when the morning comes (08:00 local), then it is sent
    container.clock.advance(hours=8, minutes=30)
    assert run(client, tokens)["sent"] == 1


def test_the_daily_key_refuses_a_second_message_in_the_database(container) -> None:
    # given amy's message of the day is recorded
    day = container.clock.now().date()
    with container.engine.begin() as conn:
        conn.execute(insert(member_message_days).values(buyer_id="amy", day=day,
                                                        reminder_id=new_id()))
    # when a second writer (not this code) tries to record another for the same day
    try:
        with container.engine.begin() as conn:
            conn.execute(insert(member_message_days).values(buyer_id="amy", day=day,
                                                            reminder_id=new_id()))
        raised = False
    except Exception:  # noqa: BLE001 — any driver's IntegrityError
        raised = True
    # then the database refuses it
    assert raised


def test_a_lapsed_cart_gets_a_nudge(client, tokens, container) -> None:
    # given carl reserved an order and let it lapse unpaid, and agreed to SMS
    sid, sku = listed_shop(client, tokens, stock=5)
    r = order(client, sid, buyer(container, "carl"), "c1", items=[{"sku_id": sku,
                                                                   "quantity": 1}])
    assert r.status_code == 201, r.text
    with container.engine.begin() as conn:
        conn.execute(orders.update().where(orders.c.id == r.json()["order_id"]).values(
            status="expired", expires_at=container.clock.now() - timedelta(minutes=20)))
    consent(client, container, "carl", "sms")
    # when the reminders run, then carl gets a nudge naming the product
    assert run(client, tokens)["sent"] == 1
    sent = container.notifier.sent[-1]
    assert (sent.buyer_id, sent.kind, sent.channel) == ("carl", "cart", "sms")


def test_a_post_is_approved_once_for_its_points(client, tokens, container) -> None:
    # given amy's paid order
    oid, _, amy = paid_order(client, tokens, container, "amy")
    points = member(client, tokens, "amy").json()["points"]
    # when she posts a 晒单, and someone else tries on her order
    assert client.post(f"/api/v1/orders/{oid}/ugc", headers=buyer(container, "eve"),
                       json={"text": "好看"}).status_code == 404
    r = client.post(f"/api/v1/orders/{oid}/ugc", headers=amy,
                    json={"text": "颜色很正，做工好", "photo_url": "https://img.example/1.jpg"})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert client.post(f"/api/v1/orders/{oid}/ugc", headers=amy,
                       json={"text": "again"}).json()["code"] == "ugc_already_posted"
    # then ops see it and approve it for 50 points; a second approval is refused
    listed = client.get("/api/v1/ugc?status=pending", headers=tokens["ops"]).json()["items"]
    assert [p["id"] for p in listed] == [pid]
    assert client.post(f"/api/v1/ugc/{pid}/approve", headers=tokens["cs"],
                       json={"points": 50}).status_code == 403
    r = client.post(f"/api/v1/ugc/{pid}/approve", headers=tokens["ops"], json={"points": 50})
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/ugc/{pid}/approve", headers=tokens["ops"], json={"points": 50})
    assert r.status_code == 409 and r.json()["code"] == "ugc_already_reviewed"
    body = member(client, tokens, "amy").json()
    assert body["points"] == points + 50
    assert "bonus" in {p["kind"] for p in body["points_history"]}


def test_an_invitation_pays_once_per_real_new_buyer(client, tokens, container) -> None:
    # given amy is a member; newbie comes through her link; amy cannot invite herself
    sid, sku = listed_shop(client, tokens, stock=20)
    pay(client, sid, buyer(container, "amy"), "a1", sku)
    base = member(client, tokens, "amy").json()["points"]
    assert client.post("/api/v1/invitations", headers=buyer(container, "amy"),
                       json={"inviter_id": "amy"}).json()["code"] == "self_invite"
    assert client.post("/api/v1/invitations", headers=buyer(container, "amy"),
                       json={"inviter_id": "bob"}).json()["code"] == "not_new_buyer"
    r = client.post("/api/v1/invitations", headers=buyer(container, "newbie"),
                    json={"inviter_id": "amy"})
    assert r.status_code == 201 and r.json()["accepted"]
    # when newbie pays a first order (another contact than amy), and then a second one
    newbie = buyer(container, "newbie")
    contact = {**CONTACT, "phone": "13900000001", "name": "李四"}
    first = order(client, sid, newbie, "n1", items=[{"sku_id": sku, "quantity": 1}],
                  contact=contact).json()["order_id"]
    assert client.post(f"/api/v1/orders/{first}/pay", headers=newbie).status_code == 200
    second = order(client, sid, newbie, "n2", items=[{"sku_id": sku, "quantity": 1}],
                   contact=contact).json()["order_id"]
    assert client.post(f"/api/v1/orders/{second}/pay", headers=newbie).status_code == 200
    # then amy is rewarded once
    assert member(client, tokens, "amy").json()["points"] == base + 200
    # when the first order is refunded, then the reward is taken back
    r = client.post(f"/api/v1/orders/{first}/refund", headers=tokens["cs"], json={})
    assert r.status_code == 200, r.text
    assert member(client, tokens, "amy").json()["points"] == base
    board = client.get("/api/v1/invitations", headers=tokens["ops"]).json()["items"]
    assert board[0]["refused"] == 1


def test_an_invitee_with_the_inviters_phone_earns_nothing(client, tokens, container) -> None:
    # given amy paid with her phone, and "alt" (amy's second account) came through her link
    sid, sku = listed_shop(client, tokens, stock=20)
    pay(client, sid, buyer(container, "amy"), "a1", sku)
    base = member(client, tokens, "amy").json()["points"]
    client.post("/api/v1/invitations", headers=buyer(container, "alt"),
                json={"inviter_id": "amy"})
    # when alt pays with amy's phone number
    pay(client, sid, buyer(container, "alt"), "x1", sku)
    # then no reward, and the invitation says why
    assert member(client, tokens, "amy").json()["points"] == base
    board = client.get("/api/v1/invitations", headers=tokens["ops"]).json()["items"]
    assert (board[0]["rewarded"], board[0]["refused"]) == (0, 1)
