"""A channel's exclusive coupon (渠道专属券) is claimed only with its code: knowing the
coupon's id is not enough (it shows in every order's breakdown and the console)."""

from __future__ import annotations

from tests import factories
from tests.integration.test_campaign_warmup import buyer


def test_exclusive_coupon_needs_its_code(client, tokens, container, clock) -> None:  # type: ignore[no-untyped-def]
    # given a live show with exclusive codes for the community and SMS channels
    sid, _ = factories.live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/campaign/channel-coupons", headers=tokens["ops"],
                    json={"channels": ["community", "sms"], "discount_fen": 500})
    assert r.status_code == 201, r.text
    coupons = {c["channel"]: c for c in r.json()["coupons"]}
    community, sms = coupons["community"], coupons["sms"]
    anyone = buyer(container, clock, "b_anyone")
    # when a buyer claims by id alone, or with another channel's code: refused, nothing taken
    r = client.post(f"/api/v1/coupons/{community['coupon_id']}/claim", headers=anyone)
    assert r.status_code == 403 and r.json()["code"] == "coupon_code_required", r.text
    r = client.post(f"/api/v1/coupons/{community['coupon_id']}/claim", headers=anyone,
                    json={"code": sms["code"]})
    assert r.status_code == 403 and r.json()["code"] == "coupon_code_mismatch", r.text
    listed = client.get(f"/api/v1/sessions/{sid}/coupons", headers=tokens["ops"]).json()
    assert all(c["claimed"] == 0 for c in listed["items"]), listed
    # then with its own code (as typed, any case) the claim goes through
    r = client.post(f"/api/v1/coupons/{community['coupon_id']}/claim", headers=anyone,
                    json={"code": community["code"].lower()})
    assert r.status_code == 200 and r.json()["status"] == "claimed", r.text


def test_public_coupon_is_claimed_without_a_code(client, tokens, container, clock) -> None:  # type: ignore[no-untyped-def]
    sid, _ = factories.live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/coupons", headers=tokens["console"], json={
        "name": "立减券", "kind": "fixed", "discount_fen": 300, "total": 10, "issue_now": True})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/coupons/{r.json()['id']}/claim",
                    headers=buyer(container, clock, "b_public"))
    assert r.status_code == 200, r.text
