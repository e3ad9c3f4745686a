"""A poison entry in a session's comment log (one the owner cannot apply however often it
tries) is retried a bounded number of times, then set aside as a dead letter; its waiting
request gets a clear 422, the entries around it are applied, and the session goes on. A
lost database is not poison: nothing is set aside, the batch waits and is stored once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from liveroom.adapters.sql.comments_repo import CommentsRepo
from liveroom.adapters.sql.schema_comments import comments
from liveroom.bootstrap import Container, bootstrap
from liveroom.comments.room import Room
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app
from tests.conftest import REDIS_URL, redis_or_skip
from tests.factories import live_session_with

pytestmark = pytest.mark.redis
POISON = "☠"


@pytest.fixture
def prefix(monkeypatch: pytest.MonkeyPatch) -> str:
    name = f"p{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")
    monkeypatch.setenv("LIVEROOM_COMMENTS_LOG_PREFIX", name)
    monkeypatch.setenv("LIVEROOM_COMMENTS_LEASE_MS", "1500")
    monkeypatch.setenv("LIVEROOM_COMMENTS_POISON_PAUSE_MS", "10")
    return name


@pytest.fixture
def app(settings: Settings, clock: FixedClock, container: Container, prefix: str
        ) -> Iterator[TestClient]:
    redis_or_skip()
    c = bootstrap(settings.model_copy(update={"redis_url": REDIS_URL}), clock=clock)
    try:
        with TestClient(create_app(c)) as tc:
            yield tc
    finally:
        c.close()


@pytest.fixture
def room_bug(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The room code fails on any batch with a ☠ in it (a bug one comment trips)."""
    calls: list[int] = []
    process_many = Room.process_many

    def tripping(self: Room, groups: list[Any]) -> Any:
        if any(POISON in item.text for group in groups for item in group):
            calls.append(len(groups))
            raise RuntimeError("the room code tripped over this batch")
        return process_many(self, groups)

    monkeypatch.setattr(Room, "process_many", tripping)
    return calls


def say(clock: FixedClock, cid: str, text: str) -> dict[str, Any]:
    return {"id": cid, "buyer_id": f"b-{cid}", "nickname": "观众", "text": text,
            "ts": clock.now().isoformat()}


def logged(clock: FixedClock, cid: str, text: str) -> list[dict[str, Any]]:
    """A comment batch as the log carries it (comments/log_codec.py)."""
    return [{"client_id": cid, "buyer_id": f"b-{cid}", "nickname": "观众", "text": text,
             "ts": clock.now().isoformat()}]


def stored(container: Container, sid: str) -> list[Any]:
    with container.engine.connect() as conn:
        return conn.execute(select(comments.c.seq, comments.c.client_id)
                            .where(comments.c.session_id == sid).order_by(comments.c.seq)).all()


def append_together(prefix: str, sid: str, entries: list[tuple[str, Any]]) -> list[str]:
    """Entries added in one transaction (so the owner reads them as one run), as another
    process would write them: kind `c` a comment batch, `x` a console action."""
    client = redis.Redis.from_url(REDIS_URL)
    requests = [uuid.uuid4().hex for _ in entries]
    pipe = client.pipeline(transaction=True)
    for request, (kind, body) in zip(requests, entries, strict=True):
        pipe.xadd(f"{prefix}:room:{sid}:log",
                  {"k": kind, "r": request, "s": "api", "d": json.dumps(body)})
    pipe.execute()
    client.close()
    return requests


def answer(prefix: str, request: str) -> Any:
    client = redis.Redis.from_url(REDIS_URL)
    got = client.blpop([f"{prefix}:room:answer:{request}"], timeout=20)
    client.close()
    assert got is not None, "no answer"
    return json.loads(got[1])


def test_a_poison_entry_is_set_aside_and_the_session_goes_on(
        app: TestClient, tokens: Any, clock: FixedClock, container: Container, prefix: str,
        room_bug: list[int]) -> None:
    sid, _ = live_session_with(app, tokens)
    first = app.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                     json={"comments": [say(clock, "a0", "开始了")]})
    assert first.status_code == 202, first.text  # this process owns the room now
    # when one run of entries holds a batch that trips the room code, a malformed batch and
    # a malformed console action between good batches
    requests = append_together(prefix, sid, [
        ("c", logged(clock, "a1", "多少钱")), ("c", logged(clock, "p1", f"有毒{POISON}")),
        ("c", [{"nope": 1}]), ("x", {"cmd": "NoSuchAction", "fields": {}}),
        ("c", logged(clock, "a2", "好看"))])
    answers = [answer(prefix, r) for r in requests]
    # then the good batches are applied, each bad entry is answered with a clear error
    assert [a.get("accepted") for a in answers] == [1, None, None, None, 1]
    for bad in answers[1:4]:
        error = bad["error"]
        assert (error["status"], error["code"]) == (422, "comments_entry_dead_lettered")
        assert error["details"]["tries"] == 3 and error["details"]["dead_letter_id"]
    assert len(room_bug) == 3  # the bad batch, alone, three times: no more
    # when a client sends a poison batch itself
    r = app.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                 json={"comments": [say(clock, "p2", f"又有毒{POISON}")]})
    # then it is told, and the session takes the next batch as usual
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "comments_entry_dead_lettered"
    assert "set aside" in r.json()["message"]
    r = app.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                 json={"comments": [say(clock, "a3", "尺码怎么选")]})
    assert r.status_code == 202, r.text
    rows = stored(container, sid)
    assert [r.client_id for r in rows] == ["a0", "a1", "a2", "a3"]
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    # and the operators see what was set aside, and why
    letters = app.get("/api/v1/dead-letters", headers=tokens["admin"]).json()["items"]
    mine = [d for d in letters if d["source"] == "comment_log"]
    assert len(mine) == 4
    assert sum("RuntimeError" in d["reason"] for d in mine) == 2
    assert any(sid in d["payload"] and "p2" in d["payload"] for d in mine)


def test_a_lost_database_is_not_poison(
        app: TestClient, tokens: Any, clock: FixedClock, container: Container,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sid, _ = live_session_with(app, tokens)
    first = app.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                     json={"comments": [say(clock, "d0", "开始了")]})
    assert first.status_code == 202, first.text
    # when the database drops the owner's next five writes (a lost connection)
    add_comments = CommentsRepo.add_comments
    lost: list[int] = []

    def flaky(self: CommentsRepo, rows: Any) -> Any:
        if len(lost) < 5:
            lost.append(1)
            raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))
        return add_comments(self, rows)

    monkeypatch.setattr(CommentsRepo, "add_comments", flaky)
    r = app.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                 json={"comments": [say(clock, "d1", "还有吗")]})
    # then the batch waits for the database instead of being set aside, and is stored once
    assert r.status_code == 202, r.text
    assert len(lost) == 5
    assert [r.client_id for r in stored(container, sid)] == ["d0", "d1"]
    letters = app.get("/api/v1/dead-letters", headers=tokens["admin"]).json()["items"]
    assert [d for d in letters if d["source"] == "comment_log"] == []
