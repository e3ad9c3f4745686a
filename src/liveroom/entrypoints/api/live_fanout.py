"""Fan-out of a show's changes to its open pages, rendered once per kind of page.

One pump per show per process subscribes to the broadcaster. For each batch of changes it
renders the moved parts once per kind of page — (view, locale, role): the fragments depend
on nothing else — and reads the new comments once, encodes each kind's message once, then
hands the same bytes to every open page of that kind. So the cost of a change grows with
the kinds of pages, not with their number; a page's own cost is a queue put and a send.

When to render: a change a person made (a console action: Change.urgent) at once, so it
is on every page within one render; the audience's stream of changes (comments, orders,
metrics) at most every PACED_GAP, gathered into one render (a comment burst or a flash
sale is a few messages a second per page, not hundreds: what a page costs is the number of
messages it is sent). Between two renders there is always at least the last render's own
time, so on a busy machine a show's rendering takes at most about half a core. The
clock-driven parts (time on air, countdowns, per-minute numbers) are redrawn every
TICK_SECONDS whatever else moves.

Viewers' live pages (/live/{sid}, public) are pages of the same show: the shelf (小黄车) is
rendered once per locale when what it shows moves, so a console action is on every
viewer's shelf within one render, without polling.

A page that falls behind drops its backlog and catches up itself: everything redrawn, and
the comments after the last one it was sent, none lost (what the broadcaster's own
overflow does for the pump)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from fastapi.responses import StreamingResponse
from sqlalchemy.exc import SQLAlchemyError

from liveroom.bootstrap import Container
from liveroom.console.ports import PARTS, Subscription
from liveroom.core.errors import DomainError
from liveroom.core.tasks import stop_tasks
from liveroom.entrypoints.api import live_comments
from liveroom.identity.model import Actor

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0
TICK_PARTS = frozenset({"metrics", "alerts"})
PACED_GAP = 0.2  # the audience's changes: at most five messages a second per page
PAGE_BACKLOG = 32

SHELF_PARTS = frozenset({"status", "lineup", "flash", "coupons", "announcements"})

Render = Callable[[Container, str, Actor, str, frozenset[str], str], str]
RenderShelf = Callable[[Container, str, str], Awaitable[str]]  # (c, sid, locale) → html
Kind = tuple[str, str, str]


def sse(data: str, event: str = "update", event_id: int | None = None) -> str:
    """One Server-Sent Event; `event_id` (the newest comment it carries) is what the
    browser sends back as Last-Event-ID when it reconnects on its own."""
    head = f"event: {event}\n" + (f"id: {event_id}\n" if event_id is not None else "")
    return head + "".join(f"data: {line}\n" for line in data.splitlines()) + "\n"


def event_stream(body: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(body, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@dataclass(frozen=True)
class Message:
    data: bytes
    seq: int | None = None  # the newest comment in it, if it carries comments


@dataclass(eq=False)
class Page:
    """One open page: a queue of ready SSE messages."""

    sid: str
    view: str  # console, dashboard, or viewer (public: no actor)
    locale: str
    actor: Actor | None
    seq: int = 0  # the newest comment this page was sent
    queue: asyncio.Queue[Message | None] = field(
        default_factory=lambda: asyncio.Queue(PAGE_BACKLOG))
    behind: bool = False  # lost messages: must catch up itself

    @property
    def kind(self) -> Kind:
        return self.view, self.locale, self.actor.role.value if self.actor else ""

    def offer(self, message: Message | None) -> None:
        if self.behind and message is not None:
            return  # it will catch up anyway
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.behind = True
            self.queue.put_nowait(Message(b""))  # wakes the page up to catch up

    def sent(self, message: Message) -> None:
        if message.seq is not None:
            self.seq = max(self.seq, message.seq)


class ShowPump:
    """Pages of one show in this process, and the task that feeds them."""

    def __init__(self, fanout: LiveFanout, sid: str) -> None:
        self.fanout = fanout
        self.sid = sid
        self.pages: set[Page] = set()
        self.cursor: live_comments.Cursor | None = None
        self.task: asyncio.Task[None] | None = None
        self.renders = 0  # fragments rendered (for the benchmark and tests)
        self.ready = asyncio.Event()  # the comment cursor is set: pages may read theirs
        self._moved: set[str] = set()
        self._urgent = False
        self._wake = asyncio.Event()

    async def run(self) -> None:
        c = self.fanout.container
        sub = c.broadcaster.subscribe(self.sid)
        listener = asyncio.create_task(self._listen(sub))
        try:
            self.cursor = (await asyncio.to_thread(self._read_comments, None))[1]
            self.ready.set()
            await self._pace()
        finally:
            await stop_tasks([listener])
            sub.close()
            for page in list(self.pages):
                page.offer(None)  # the server is stopping: the page will reconnect

    async def _listen(self, sub: Subscription) -> None:
        """Gathers what moved; a timeout of the subscription is nothing (the pace keeps the
        clock). The subscription ends when the server stops: so does the pump."""
        async for change in sub.changes(TICK_SECONDS):
            moved = PARTS if change.resync else change.parts
            if moved:
                self._moved |= moved
                self._urgent = self._urgent or change.urgent or change.resync
                self._wake.set()
        self._moved.add("")  # the stream ended
        self._wake.set()

    async def _pace(self) -> None:
        loop = asyncio.get_running_loop()
        tick_at = loop.time() + TICK_SECONDS
        free_at = paced_at = loop.time()  # after the last render: its own time; PACED_GAP
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, tick_at - loop.time())):
                    await self._wake.wait()
            if "" in self._moved:
                return
            ticking = loop.time() >= tick_at
            due = free_at if self._urgent or ticking else max(free_at, paced_at)
            if loop.time() < due:  # rendered a moment ago: gather more meanwhile
                with contextlib.suppress(TimeoutError):  # unless something urgent comes
                    async with asyncio.timeout(due - loop.time()):
                        await self._urgent_came()
                if loop.time() < free_at:
                    await asyncio.sleep(free_at - loop.time())
            self._wake.clear()
            parts, self._moved, self._urgent = frozenset(self._moved), set(), False
            if loop.time() >= tick_at:
                parts |= TICK_PARTS
            if parts >= TICK_PARTS:
                tick_at = loop.time() + TICK_SECONDS
            started = loop.time()
            await self.emit(parts)
            free_at = loop.time() + (loop.time() - started)
            paced_at = started + PACED_GAP

    async def _urgent_came(self) -> None:
        while not self._urgent:
            self._wake.clear()
            await self._wake.wait()

    def _read_comments(self, cursor: live_comments.Cursor | None, since: int | None = None
                       ) -> tuple[live_comments.Rows, live_comments.Cursor]:
        with self.fanout.container.read() as conn:
            return live_comments.read(conn, self.sid, cursor, since)

    def _render_all(self, parts: frozenset[str]) -> dict[Kind, Message]:
        """Each kind of page once, with the new comments (read once, shaped once per
        locale) for the consoles; encoded once."""
        c, out = self.fanout.container, {}
        kinds = {p.kind: p for p in list(self.pages) if p.actor is not None}
        notes: dict[str, str] = {}
        seq: int | None = None
        consoles = {k[1] for k in kinds if k[0] == "console"}
        if consoles and self.cursor is not None and "comments" in parts:
            rows, self.cursor = self._read_comments(self.cursor)
            if rows:
                seq = self.cursor.seq
                tz = c.settings.timezone
                notes = {loc: sse(live_comments.payload(rows, loc, tz), "comments", seq)
                         for loc in consoles}
        drawn = parts - {"comments"}
        for kind, page in kinds.items():
            assert page.actor is not None
            html = self.fanout.render(c, self.sid, page.actor, page.view, drawn,
                                      page.locale) if drawn else ""
            self.renders += 1 if drawn else 0
            note = notes.get(page.locale, "") if page.view == "console" else ""
            if html.strip() or note:
                out[kind] = Message(((sse(html) if html.strip() else "") + note).encode(),
                                    seq if note else None)
        return out

    async def _shelf(self, locale: str) -> dict[Kind, Message]:
        shelf = await self.fanout.shelf(self.fanout.container, self.sid, locale)
        return {("viewer", locale, ""): Message(sse(shelf).encode())}

    async def emit(self, parts: frozenset[str]) -> None:
        """Renders what moved and hands each kind's message to its pages as soon as it is
        ready: viewers' shelves do not wait for the consoles, nor these for the shelves."""
        jobs: list[Awaitable[dict[Kind, Message]]] = [
            asyncio.to_thread(self._render_all, parts)]
        if parts & SHELF_PARTS:
            jobs += [self._shelf(loc) for loc in {p.locale for p in self.pages if not p.actor}]
        for job in asyncio.as_completed(jobs):
            try:
                messages = await job
            except (SQLAlchemyError, DomainError):  # a busy database or a show gone: next time
                log.exception("live feed render failed for show %s", self.sid)
                continue
            for page in list(self.pages):
                message = messages.get(page.kind)
                if message is not None:
                    page.offer(message)


class LiveFanout:
    """Per process: one pump per show with open pages."""

    def __init__(self, container: Container, render: Render, shelf: RenderShelf) -> None:
        self.container = container
        self.render = render
        self.shelf = shelf
        self.pumps: dict[str, ShowPump] = {}

    async def open(self, sid: str, view: str, locale: str, actor: Actor | None) -> Page:
        """Registers the page; returns once the show's pump reads comments from a cursor,
        so the page's own first read overlaps the pump's batches and never leaves a gap."""
        page = Page(sid, view, locale, actor)
        pump = self.pumps.get(sid)
        if pump is None or pump.task is None or pump.task.done():
            pump = self.pumps[sid] = ShowPump(self, sid)
            pump.task = asyncio.create_task(pump.run(), name=f"live-pump-{sid}")
        pump.pages.add(page)
        await asyncio.wait_for(pump.ready.wait(), 30)
        return page

    def close(self, page: Page) -> None:
        pump = self.pumps.get(page.sid)
        if pump is None:
            return
        pump.pages.discard(page)
        if not pump.pages and pump.task is not None:
            pump.task.cancel()
            del self.pumps[page.sid]

    async def serve(self, sid: str, view: str, locale: str, actor: Actor | None,
                    first: Callable[[int | None], Awaitable[Message]]) -> AsyncIterator[bytes]:
        """A page's stream: `first(None)` (everything, and the comments the page asked
        for), then what the pump hands it; a page that fell behind catches up with
        `first(seq)`, the newest comment it was sent. Ends when the server stops."""
        page = await self.open(sid, view, locale, actor)
        try:
            message: Message | None = await first(None)
            while message is not None:
                if page.behind:  # it lost messages: catch up, for this page alone
                    page.behind = False
                    message = await first(page.seq)
                page.sent(message)
                yield message.data
                message = await page.queue.get()
        finally:
            self.close(page)

    async def stop(self) -> None:
        await stop_tasks([pump.task for pump in self.pumps.values()])
        self.pumps.clear()
