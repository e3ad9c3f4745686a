"""Live comments in: HTTP batches, a connector websocket and a signed webhook; and the
host's view of them: the question queue, the stored comments and the alerts."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, WebSocket, WebSocketDisconnect
from pydantic import Field

from liveroom.adapters.sql.comments_repo import CommentsRepo
from liveroom.bootstrap import Container
from liveroom.comments import views
from liveroom.comments.commands import CreateConnector
from liveroom.comments.ingest import MAX_BATCH, IncomingComment, Rejection, validate_batch
from liveroom.comments.ports import IngestOutcome
from liveroom.connectors.webhook import ReplayGuard, verify
from liveroom.core.errors import DomainError, Invalid
from liveroom.core.ratelimit import RateLimited, aenforce
from liveroom.entrypoints.api.deps import ContainerDep, Operator, PageDep, Reader
from liveroom.entrypoints.api.schemas import Body
from liveroom.identity.handlers import actor_for_token
from liveroom.identity.model import Actor

log = logging.getLogger(__name__)
router = APIRouter(tags=["comments"])


class CommentsIn(Body):
    # Items are validated one by one (bad ones are reported, good ones stored).
    comments: Annotated[list[Any], Field(min_length=1, max_length=MAX_BATCH)]


def _prepare(c: Container, sid: str, raw: list[Any]) -> tuple[list[IncomingComment],
                                                        list[Rejection]]:
    with c.read() as conn:
        c.comment_rooms.require_accepting(sid, conn)
    return validate_batch(raw, c.clock.now())


def _answer(outcome: IngestOutcome, rejected: list[Rejection]) -> dict[str, Any]:
    return {"accepted": outcome.accepted, "duplicates": len(outcome.duplicates),
            "duplicate_ids": outcome.duplicates[:100], "ids": outcome.ids,
            "rejected": [r.to_json() for r in rejected]}


async def _ingest(c: Container, sid: str, raw: list[Any], source: str) -> dict[str, Any]:
    valid, rejected = await asyncio.to_thread(_prepare, c, sid, raw)
    if not valid:
        return _answer(IngestOutcome(0, [], []), rejected)
    return _answer(await c.comment_log.submit(sid, valid, source), rejected)


@router.post("/sessions/{sid}/comments", status_code=202)
async def ingest(sid: str, body: CommentsIn, c: ContainerDep, actor: Operator
                 ) -> dict[str, Any]:
    """Accept a batch of live comments. 202 once every accepted comment (with its
    analysis) is committed to the database; items with an ``id`` already seen in this
    session are reported as duplicates; invalid items are listed with reasons."""
    actor.require("comments.ingest")
    await _count(c, actor.id, len(body.comments))
    return await _ingest(c, sid, body.comments, actor.role.value)


async def _count(c: Container, pusher: str, comments: int) -> None:
    """Comments per connector: 429 rate_limited once a pusher exceeds its share."""
    await aenforce(c.limiter, pusher, c.limits.comments, comments)


@router.post("/sessions/{sid}/connectors", status_code=201)
def create_connector(sid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    """A webhook connector with its signing secret (shown once)."""
    out: dict[str, Any] = c.bus.handle(CreateConnector(sid), actor)
    out["url"] = f"/api/v1/connectors/{out['id']}/webhook"
    return out


@router.post("/connectors/{cid}/webhook", status_code=202)
async def webhook(cid: str, request: Request, c: ContainerDep,
                  x_liveroom_timestamp: Annotated[str | None, Header()] = None,
                  x_liveroom_signature: Annotated[str | None, Header()] = None
                  ) -> dict[str, Any]:
    """Comments from a signed webhook: body as POST /sessions/{sid}/comments, signed with
    HMAC-SHA256 over "{timestamp}.{body}" (see connectors/webhook.py)."""
    body = await request.body()

    def load() -> Any:
        with c.read() as conn:
            return CommentsRepo(conn).connector(cid)

    connector = await asyncio.to_thread(load)
    replays: ReplayGuard = c.webhook_replays  # shared by every process
    await asyncio.to_thread(verify, connector.secret, body, x_liveroom_timestamp,
                            x_liveroom_signature, c.clock.now(), replays)
    stored = False
    try:
        items = _webhook_items(body)
        await _count(c, f"webhook:{cid}", len(items))
        out = await _ingest(c, connector.session_id, items, f"webhook:{cid}")
        stored = True
        return out
    finally:
        if not stored:  # the sender's retry of this very request must not be refused as a
            await asyncio.to_thread(  # replay, or its comments are lost
                replays.forget, x_liveroom_signature or "")



def _webhook_items(body: bytes) -> list[Any]:
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise Invalid("body must be JSON", code="malformed_json") from exc
    items = parsed.get("comments") if isinstance(parsed, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
        raise Invalid(f"comments: a list of 1–{MAX_BATCH} items", field="comments")
    return items


@router.websocket("/sessions/{sid}/comments/ws")
async def connector_socket(websocket: WebSocket, sid: str,
                           token: Annotated[str | None, Query()] = None) -> None:
    """Connectors stream ``{"comments": [...], "ref": any}`` and get ``{"type": "ack",
    "ref", …}`` per message, and ``{"type": "reply", …}`` auto-replies to post. The token
    comes as ``?token=`` or as a first message ``{"token": "…"}``."""
    c = websocket.app.state.container
    await websocket.accept()
    if token is None:
        first = _parse(await websocket.receive_text())
        sent = first.get("token") if isinstance(first, dict) else None
        token = sent if isinstance(sent, str) else None
    try:
        actor = await asyncio.to_thread(_socket_actor, c, token or "", sid)
    except DomainError as exc:
        await websocket.send_json({"type": "error", **exc.to_dict()})
        await websocket.close(code=4401 if exc.status == 401 else 4403)
        return
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    replies = c.comment_replies.attach(sid)
    writer = asyncio.create_task(_write(websocket, outbox, replies))
    watcher = asyncio.create_task(_watch_token(c, websocket, token or "", writer))
    acks: set[asyncio.Task[None]] = set()
    try:
        while True:
            message = _parse(await websocket.receive_text())
            if message is _MALFORMED:  # one bad frame must not drop the connector's socket
                await outbox.put({"type": "error", "ref": None, "code": "malformed_json",
                                  "message": "each message must be a JSON object"})
                continue
            # Acks are awaited in their own task so the receive loop never waits on storage;
            # enqueue order is receive order, so seq order follows the socket.
            task = asyncio.create_task(_ack(c, sid, message, actor, outbox))
            acks.add(task)
            task.add_done_callback(acks.discard)
    except WebSocketDisconnect:
        pass
    finally:
        c.comment_replies.detach(sid, replies)
        writer.cancel()
        watcher.cancel()


_MALFORMED = object()


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return _MALFORMED


def _socket_actor(c: Container, token: str, sid: str) -> Actor:
    with c.read() as conn:
        actor = actor_for_token(conn, token)
        actor.require("comments.ingest")
        c.comment_rooms.require_accepting(sid, conn)
    return actor


def _token_still_valid(c: Container, token: str) -> None:
    with c.read() as conn:
        actor_for_token(conn, token).require("comments.ingest")


async def _watch_token(c: Container, websocket: WebSocket, token: str,
                       writer: asyncio.Task[None]) -> None:
    """A revoked (or demoted) token closes its open socket within a recheck period: the
    database is asked, so a revocation on any server process reaches every socket."""
    while True:
        await asyncio.sleep(c.settings.token_recheck_seconds)
        try:
            await asyncio.to_thread(_token_still_valid, c, token)
        except DomainError as exc:
            writer.cancel()  # nothing more goes out on this socket but the reason
            await websocket.send_json({"type": "error", **exc.to_dict()})
            await websocket.close(code=4401 if exc.status == 401 else 4403)
            return


async def _ack(c: Container, sid: str, message: Any, actor: Actor,
               outbox: asyncio.Queue[dict[str, Any]]) -> None:
    ref = message.get("ref") if isinstance(message, dict) else None
    items = message.get("comments") if isinstance(message, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
        await outbox.put({"type": "error", "ref": ref, "code": "validation_error",
                          "message": f"comments: a list of 1–{MAX_BATCH} items"})
        return
    try:
        await _count(c, actor.id, len(items))
    except RateLimited as exc:
        await outbox.put({"type": "error", "ref": ref, **exc.to_dict()})
        return
    valid, rejected = validate_batch(items, c.clock.now())
    try:
        outcome = (await c.comment_log.submit(sid, valid, f"ws:{actor.role.value}")
                   if valid else IngestOutcome(0, [], []))
    except DomainError as exc:
        await outbox.put({"type": "error", "ref": ref, **exc.to_dict()})
        return
    await outbox.put({"type": "ack", "ref": ref, **_answer(outcome, rejected)})


async def _write(websocket: WebSocket, outbox: asyncio.Queue[dict[str, Any]],
                 replies: asyncio.Queue[dict[str, Any]]) -> None:
    while True:
        getters = {asyncio.create_task(outbox.get()), asyncio.create_task(replies.get())}
        done, pending = await asyncio.wait(getters, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in done:
            await websocket.send_json(task.result())


@router.get("/sessions/{sid}/questions")
def questions(sid: str, c: ContainerDep, actor: Operator,
              limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """The host's question queue: open and assigned cards, most urgent first."""
    actor.require("comments.read")
    return c.comment_log.questions(sid, limit)


@router.get("/sessions/{sid}/comments")
def list_comments(sid: str, conn: Reader, actor: Operator, page: PageDep,
                  intent: str | None = None, sensitive: bool | None = None,
                  hidden: bool | None = None, buyer_id: str | None = None) -> dict[str, Any]:
    actor.require("comments.read")
    return views.list_comments(conn, sid, intent=intent, sensitive=sensitive, hidden=hidden,
                               buyer_id=buyer_id, limit=page.limit, offset=page.offset)


@router.get("/sessions/{sid}/comment-alerts")
def list_alerts(sid: str, conn: Reader, actor: Operator, page: PageDep,
                kind: str | None = None) -> dict[str, Any]:
    actor.require("comments.read")
    return views.list_alerts(conn, sid, kind, page.limit, page.offset)
