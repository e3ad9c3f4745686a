"""No faked data (issue 8 §3) and server facts in live metrics (issue 12 §1), through HTTP
on SQLite and PostgreSQL: events only while a show is live (and a short grace after), the
sender of each recorded, the log append-only, and what the server saw counted at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from liveroom.adapters.sql.schema_tracking import tracking_events
from liveroom.identity.model import issue_buyer_jwt
from tests import factories as f
from tests.conftest import auth


def ev(clock, n, type_="enter", buyer="b1", **extra):
    return {"event_id": f"evt-{n:08d}", "type": type_, "buyer_id": buyer,
            "ts": clock.now().isoformat(), **extra}


def post(client, tokens, sid, events):
    return client.post(f"/api/v1/sessions/{sid}/events", json={"events": events},
                       headers=tokens["connector"])


def metrics(client, tokens, sid):
    r = client.get(f"/api/v1/sessions/{sid}/metrics/live", headers=tokens["ops"])
    assert r.status_code == 200, r.text
    return r.json()


def buyer(container, name, key="k"):
    return {**auth(issue_buyer_jwt(name, container.settings.buyer_secret, datetime.now(UTC),
                                   timedelta(hours=1))), "Idempotency-Key": f"{key}-{name}"}


def test_events_for_a_planned_show_are_refused(client, tokens, clock):
    sid = f.session(client, tokens["ops"])
    r = post(client, tokens, sid, [ev(clock, 1)])
    assert r.status_code == 409 and r.json()["code"] == "session_not_live"


def test_an_ended_show_takes_late_batches_for_a_grace_then_its_figures_are_final(
        client, tokens, clock, container):
    # given a live show with one viewer, then ended
    sid, _ = f.live_session_with(client, tokens)
    assert post(client, tokens, sid, [ev(clock, 1)]).status_code == 200
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])
    # when a late client batch arrives within the grace, it counts
    assert post(client, tokens, sid, [ev(clock, 2, buyer="b2")]).status_code == 200
    before = client.get(f"/api/v1/sessions/{sid}/review", headers=tokens["ops"]).json()
    # then 500 invented viewers after the grace are refused and change nothing
    clock.advance(seconds=container.settings.tracking_grace_seconds + 1)
    fake = [ev(clock, 100 + i, buyer=f"fake{i}") for i in range(500)]
    r = post(client, tokens, sid, fake)
    assert r.status_code == 409 and r.json()["code"] == "session_not_live"
    after = client.get(f"/api/v1/sessions/{sid}/review", headers=tokens["ops"]).json()
    assert before["headline"]["unique_viewers"] == after["headline"]["unique_viewers"] == 2


def test_each_event_records_who_sent_it_and_the_log_is_append_only(
        client, tokens, clock, container):
    sid, _ = f.live_session_with(client, tokens)
    assert post(client, tokens, sid, [ev(clock, 1)]).status_code == 200
    with container.engine.connect() as conn:
        sender = conn.execute(select(tracking_events.c.sender)).scalar_one()
        connector = conn.execute(text("SELECT id FROM users WHERE role = 'connector'")).scalar()
    assert sender == f"connector:{connector}"
    for statement in ("UPDATE tracking_events SET buyer_id = 'someone'",
                      "DELETE FROM tracking_events"):
        with pytest.raises(DBAPIError, match="append-only"), container.engine.begin() as conn:
            conn.execute(text(statement))
    assert metrics(client, tokens, sid)["unique_viewers"] == 1


def test_a_client_cannot_pose_as_the_server(client, tokens, clock):
    sid, _ = f.live_session_with(client, tokens)
    r = post(client, tokens, sid, [ev(clock, 1, "payment_failure",
                                      props={"source": "server", "order_id": "x"})])
    assert r.json()["accepted"] == 0
    assert "reserved_prop" in r.json()["rejected"][0]["reasons"][0]


def test_a_declined_payment_and_a_refund_count_without_any_client_event(
        client, tokens, container):
    # given a live show where two buyers ordered a 99-yuan flash item
    sid, sku = f.live_session_with(client, tokens, stock=100)
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 10}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    oids = [client.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                        headers=buyer(container, b)).json()["order_id"] for b in ("b1", "b2")]
    # when the server declines one payment (402), then both pay and one is refunded
    declined = client.post(f"/api/v1/orders/{oids[0]}/pay", headers=buyer(container, "b1"),
                           json={"sandbox_outcome": "fail"})
    assert declined.status_code == 402
    for oid, b in zip(oids, ("b1", "b2"), strict=True):
        assert client.post(f"/api/v1/orders/{oid}/pay", headers=buyer(container, b, "p"),
                           json={}).status_code == 200
    refund = client.post(f"/api/v1/orders/{oids[1]}/refund", headers=tokens["cs"])
    assert refund.status_code == 200, refund.text
    # then live metrics show the failure and GMV gross and net, with no client event sent
    m = metrics(client, tokens, sid)
    assert m["payment_failures"] == 1 and m["payment_success_rate"] == round(2 / 3, 4)
    assert (m["gmv_fen"], m["refunded_fen"], m["gmv_net_fen"]) == (19800, 9900, 9900)
    # and one definition gives one number: the funnel's paid buyers are the KPI's
    assert m["funnel"]["paid"] == m["paying_buyers"] == 2
    assert m["funnel"]["carts"] >= m["funnel"]["orders"] >= m["funnel"]["paid"]
    product = m["per_product"][0]
    assert product["carts"] >= product["orders"] >= product["paid"] == 2


def test_a_cold_start_reads_the_same_metrics_as_the_incremental_fold(client, tokens, clock,
                                                                   container):
    from liveroom.metrics.views import MetricsCache, live_metrics

    sid, sku = f.live_session_with(client, tokens)
    warm = MetricsCache()
    kinds = ["enter", "product_impression", "product_click", "add_to_cart", "like", "leave"]
    for k in range(6):
        batch = [ev(clock, k * 100 + i, kinds[(i + k) % 6], buyer=f"b{i % 7}",
                    **({"sku_id": sku} if (i + k) % 6 in (1, 2, 3) else {}))
                 for i in range(30)]
        assert post(client, tokens, sid, batch).json()["accepted"] == 30
        clock.advance(seconds=50)
        with container.engine.connect() as conn:
            live_metrics(conn, warm, sid, clock.now())  # folds the new rows one by one
    now = clock.now() + timedelta(minutes=10)
    with container.engine.connect() as conn:
        incremental = live_metrics(conn, warm, sid, now)
        cold = live_metrics(conn, MetricsCache(grace=timedelta(0)), sid, now)
    assert cold == incremental and cold["events"] == 180
