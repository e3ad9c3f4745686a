"""The warm-up campaign through the API: reservation links per channel, ranks and rewards,
the invitation PK leaderboard, go-live reminders and channel-exclusive coupon codes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from liveroom.adapters.sql.schema_tracking import campaign_notifications
from liveroom.identity.model import issue_buyer_jwt
from tests import factories


def buyer(container, clock, name):
    # JWTs are checked against the wall clock (iat/exp), not the test's fixed clock.
    return {"Authorization": "Bearer " + issue_buyer_jwt(name, container.settings.buyer_secret,
                                                         datetime.now(UTC))}


def setup(client, tokens):
    sid = factories.session(client, tokens["ops"])
    r = client.put(f"/api/v1/sessions/{sid}/campaign", headers=tokens["ops"], json={
        "reward_first_n": 2, "first_n_reward": "前2名礼",
        "invite_rewards": [{"invites": 2, "reward": "5元券"}],
        "teams": [{"name": "阿美队", "captain": "koc_amei"},
                  {"name": "小林队", "captain": "koc_lin"}]})
    assert r.status_code == 200, r.text
    link = client.post(f"/api/v1/sessions/{sid}/links", headers=tokens["ops"],
                       json={"channel": "community", "kind": "reservation", "koc": "koc_amei",
                             "team": "阿美队"}).json()
    return sid, link


def test_reservations_rank_reward_and_credit_the_captains_team(client, tokens, container, clock):
    sid, link = setup(client, tokens)
    answers = [client.post(f"/api/v1/sessions/{sid}/reservations",
                           headers=buyer(container, clock, f"fan{i}"),
                           json={"link_code": link["code"]}).json() for i in range(3)]
    again = client.post(f"/api/v1/sessions/{sid}/reservations",
                        headers=buyer(container, clock, "fan0"), json={}).json()
    assert [a["rank"] for a in answers] == [1, 2, 3] and again["rank"] == 1
    assert not again["created"]
    assert answers[0]["rewards"] == ["前2名礼"] and answers[2]["rewards"] == []
    assert answers[0]["team"] == "阿美队" and answers[0]["channel"] == "community"
    board = client.get(f"/api/v1/sessions/{sid}/campaign/leaderboard",
                       headers=tokens["ops"]).json()
    assert board["teams"][0]["team"] == "阿美队" and board["teams"][0]["reservations"] == 3
    assert board["inviters"] == [{"buyer_id": "koc_amei", "invites": 3}]
    overview = client.get(f"/api/v1/sessions/{sid}/campaign", headers=tokens["ops"]).json()
    assert overview["by_channel"] == {"community": 3} and overview["curve"][-1]["cumulative"] == 3


def test_a_friend_invited_by_a_member_joins_the_members_team(client, tokens, container, clock):
    sid, link = setup(client, tokens)
    client.post(f"/api/v1/sessions/{sid}/reservations", headers=buyer(container, clock, "m1"),
                json={"link_code": link["code"]})
    r = client.post(f"/api/v1/sessions/{sid}/reservations",
                    headers=buyer(container, clock, "friend"), json={"invited_by": "m1"}).json()
    assert r["team"] == "阿美队"


def test_going_live_queues_one_reminder_per_reserved_viewer(client, tokens, container, clock):
    sid, link = setup(client, tokens)
    for name in ("a", "b"):
        client.post(f"/api/v1/sessions/{sid}/reservations",
                    headers=buyer(container, clock, name), json={"link_code": link["code"]})
    assert client.post(f"/api/v1/sessions/{sid}/start",
                       headers=tokens["console"]).status_code == 200
    container.campaign_worker.submit(lambda: None).result()  # let it finish
    again = client.post(f"/api/v1/sessions/{sid}/reminders", headers=tokens["ops"], json={})
    assert again.json()["queued"] == 0  # nobody is reminded twice
    with container.engine.connect() as conn:
        rows = conn.execute(select(campaign_notifications)).all()
    assert sorted((r.buyer_id, r.status) for r in rows) == [("a", "sent"), ("b", "sent")]
    assert len(container.notifier.sent) == 2


def test_channel_exclusive_coupon_codes(client, tokens):
    sid = factories.session(client, tokens["ops"])
    r = client.post(f"/api/v1/sessions/{sid}/campaign/channel-coupons", headers=tokens["ops"],
                    json={"channels": ["community", "sms"], "discount_fen": 500})
    assert r.status_code == 201, r.text
    codes = {c["channel"]: c["code"] for c in r.json()["coupons"]}
    assert set(codes) == {"community", "sms"} and codes["community"].startswith("COMM")
    listed = client.get(f"/api/v1/sessions/{sid}/coupons", headers=tokens["ops"]).json()
    assert {c["channel"] for c in listed["items"]} == {"community", "sms"}
