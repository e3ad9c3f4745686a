"""Two server processes (two app instances on one database and one Redis): a show's
comments and console actions go through one log per session and one owner, so both
processes store every comment once, in one sequence, and answer the same."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from liveroom.adapters.sql.comment_log_repo import RoomOwnerRepo
from liveroom.adapters.sql.schema_comments import comments
from liveroom.bootstrap import Container, bootstrap
from liveroom.comments.distributed import DistributedCommentLog
from liveroom.comments.ingest import IncomingComment
from liveroom.comments.log_codec import LeaseLost
from liveroom.comments.owner import OwnerHooks
from liveroom.comments.worker import Pending
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app
from tests.conftest import REDIS_URL, redis_or_skip
from tests.factories import live_session_with

pytestmark = pytest.mark.redis


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")
    # a key space of this test's own in the shared test Redis
    monkeypatch.setenv("LIVEROOM_COMMENTS_LOG_PREFIX", f"t{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("LIVEROOM_COMMENTS_LEASE_MS", "1500")


@pytest.fixture
def pair(settings: Settings, clock: FixedClock, container: Container
         ) -> Iterator[tuple[TestClient, TestClient]]:
    redis_or_skip()
    settings = settings.model_copy(update={"redis_url": REDIS_URL})
    first = bootstrap(settings, clock=clock)
    other = bootstrap(settings, clock=clock)
    with TestClient(create_app(first)) as a, TestClient(create_app(other)) as b:
        yield a, b
    other.close()
    first.close()


def say(clock: FixedClock, buyer: str, text: str, cid: str) -> dict[str, Any]:
    return {"id": cid, "buyer_id": buyer, "nickname": buyer, "text": text,
            "ts": clock.now().isoformat()}


def post(client: TestClient, tokens: Any, sid: str, items: list[dict[str, Any]]) -> Any:
    r = client.post(f"/api/v1/sessions/{sid}/comments", json={"comments": items},
                    headers=tokens["connector"])
    assert r.status_code == 202, r.text
    return r.json()


def stored(container: Container, sid: str) -> list[Any]:
    with container.engine.connect() as conn:
        return conn.execute(select(comments.c.seq, comments.c.client_id, comments.c.flagged,
                                   comments.c.faq_id).where(comments.c.session_id == sid)
                            .order_by(comments.c.seq)).all()


def test_batches_on_both_processes_are_stored_once_in_one_sequence(
        pair: tuple[TestClient, TestClient], tokens: Any, clock: FixedClock,
        container: Container) -> None:
    a, b = pair
    assert isinstance(a.app.state.container.comment_log, DistributedCommentLog)
    sid, _ = live_session_with(a, tokens)
    # when batches arrive on both processes, alternately, one retried on the other
    for i in range(12):
        client = (a, b)[i % 2]
        out = post(client, tokens, sid, [say(clock, f"v{i}-{j}", "尺码怎么选", f"c{i}-{j}")
                                         for j in range(5)])
        assert out["accepted"] == 5
    again = post(b, tokens, sid, [say(clock, "v0-0", "尺码怎么选", "c0-0")])
    # then every comment is stored once with no gap in its sequence
    rows = stored(container, sid)
    assert again["accepted"] == 0 and again["duplicates"] == 1
    assert [r.seq for r in rows] == list(range(1, 61))
    assert len({r.client_id for r in rows}) == 60
    # and both processes show the same question queue
    queues = [c.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
              for c in (a, b)]
    assert queues[0] == queues[1] and queues[0]["items"][0]["count"] == 60


def test_console_actions_on_one_process_hold_on_the_other(
        pair: tuple[TestClient, TestClient], tokens: Any, clock: FixedClock,
        container: Container) -> None:
    a, b = pair
    sid, _ = live_session_with(a, tokens)
    post(a, tokens, sid, [say(clock, "q1", "什么时候发货呀", "x1")])
    card = b.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()[
        "items"][0]
    # a mute and an FAQ on b, a card answer on a
    r = b.post(f"/api/v1/sessions/{sid}/moderation/mute", headers=tokens["console"],
               json={"buyer_id": "troll", "minutes": 10})
    assert r.status_code == 200, r.text
    r = b.put(f"/api/v1/sessions/{sid}/faq", headers=tokens["ops"], json={"entries": [
        {"id": "size", "question": "尺码怎么选", "answer": "看详情页尺码表"}]})
    assert r.status_code == 200, r.text
    r = a.post(f"/api/v1/questions/{card['id']}/answer", headers=tokens["host"],
               json={"text": "明天发"})
    assert r.status_code == 200 and r.json()["status"] == "answered", r.text
    missing = a.post(f"/api/v1/questions/{sid}.nope/answer", headers=tokens["host"],
                     json={"text": "x"})
    assert missing.status_code == 404 and missing.json()["code"] == "question_card_not_found"
    # then comments on a see the mute and the FAQ, and b's queue no longer has the card
    post(a, tokens, sid, [say(clock, "troll", "垃圾", "x2"), say(clock, "q2", "尺码怎么选",
                                                                 "x3")])
    rows = {r.client_id: r for r in stored(container, sid)}
    assert rows["x2"].flagged == "mute" and rows["x3"].faq_id == "size"
    for client in (a, b):
        queue = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
        assert card["id"] not in [c["id"] for c in queue["items"]]
    # and the session's end on b closes comments on a
    assert b.post(f"/api/v1/sessions/{sid}/end", headers=tokens["console"]).status_code == 200
    r = a.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
               json={"comments": [say(clock, "late", "还有吗", "x4")]})
    assert r.status_code == 409 and r.json()["code"] == "session_not_accepting_comments"


def test_a_stale_owner_is_fenced_off_and_writes_nothing(
        pair: tuple[TestClient, TestClient], tokens: Any, clock: FixedClock,
        container: Container) -> None:
    a, _ = pair
    sid, _ = live_session_with(a, tokens)
    post(a, tokens, sid, [say(clock, "u", "几号链接", "f1")])
    pipeline = a.app.state.container.comment_pipeline
    with container.engine.begin() as conn:
        epoch = RoomOwnerRepo(conn).epoch(sid)  # the owner's epoch
        assert epoch is not None and RoomOwnerRepo(conn).fence(sid, epoch)
        # when another process takes the room (its new epoch) while the owner is paused
        RoomOwnerRepo(conn).take(sid, "someone-else", clock.now())
    late = Pending(sid, [IncomingComment("f2", "u", "u", "还有吗", clock.now())], "api",
                   entry_id="1-0")
    with pytest.raises(LeaseLost):
        pipeline.flush([late], OwnerHooks(epoch, clock.now(), 3000))
    # then the paused owner's late write is refused by the epoch and nothing is stored
    assert [r.client_id for r in stored(container, sid)] == ["f1"]
