"""Fan-out of a show's changes to its open pages, rendered once per kind of page.

One pump per show per process subscribes to the broadcaster. For each (coalesced) change
it renders the moved parts once per kind of page — (view, locale, role): the fragments
depend on nothing else — and reads the new comments once, then hands the same bytes to
every open page of that kind. So the cost of a change grows with the kinds of pages, not
with their number. A page that falls behind drops its backlog and redraws everything
itself (what the broadcaster's own overflow does)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from liveroom.bootstrap import Container
from liveroom.console.ports import PARTS
from liveroom.core.errors import DomainError
from liveroom.core.tasks import stop_tasks
from liveroom.entrypoints.api import live_comments
from liveroom.identity.model import Actor

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0  # with no change, the clock-driven parts are redrawn this often
TICK_PARTS = frozenset({"metrics", "alerts"})
MIN_GAP = 0.15  # at most one message per show this often: a comment burst is one batch
PAGE_BACKLOG = 32

Render = Callable[[Container, str, Actor, str, frozenset[str], str], str]


def sse(data: str, event: str = "update") -> str:
    return f"event: {event}\n" + "".join(f"data: {line}\n" for line in data.splitlines()) + "\n"


@dataclass(eq=False)
class Page:
    """One open page: a queue of ready SSE messages."""

    sid: str
    view: str
    locale: str
    actor: Actor
    queue: asyncio.Queue[str | None] = field(default_factory=lambda: asyncio.Queue(PAGE_BACKLOG))
    behind: bool = False  # lost messages: must redraw everything itself

    @property
    def kind(self) -> tuple[str, str, str]:
        return self.view, self.locale, self.actor.role.value

    def offer(self, message: str | None) -> None:
        if self.behind and message is not None:
            return  # it will redraw everything anyway
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.behind = True
            self.queue.put_nowait("")  # wakes the page up to redraw


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

    async def run(self) -> None:
        c = self.fanout.container
        sub = c.broadcaster.subscribe(self.sid)
        try:
            self.cursor = (await asyncio.to_thread(self._read_comments, None))[1]
            self.ready.set()
            async for change in sub.changes(TICK_SECONDS):
                parts = PARTS if change.resync else (change.parts or TICK_PARTS)
                await self.emit(parts)
                await asyncio.sleep(MIN_GAP)
        finally:
            sub.close()
            for page in list(self.pages):
                page.offer(None)  # the server is stopping: the page will reconnect

    def _read_comments(self, cursor: live_comments.Cursor | None) -> tuple[
            live_comments.Rows, live_comments.Cursor]:
        with self.fanout.container.read() as conn:
            return live_comments.read(conn, self.sid, cursor)

    def _render_all(self, parts: frozenset[str]) -> tuple[dict[tuple[str, str, str], str],
                                                          dict[str, str]]:
        """Each kind of page once; the new comments once per locale of open consoles."""
        c, html = self.fanout.container, {}
        kinds = {p.kind: p for p in list(self.pages)}
        for kind, page in kinds.items():
            html[kind] = sse(self.fanout.render(c, self.sid, page.actor, page.view,
                                                parts - {"comments"}, page.locale))
            self.renders += 1
        notes: dict[str, str] = {}
        consoles = {k[1] for k in kinds if k[0] == "console"}
        if consoles and self.cursor is not None:
            rows, self.cursor = self._read_comments(self.cursor)
            if rows:
                tz = c.settings.timezone
                notes = {loc: sse(live_comments.payload(rows, loc, tz), "comments")
                         for loc in consoles}
        return html, notes

    async def emit(self, parts: frozenset[str]) -> None:
        try:
            html, notes = await asyncio.to_thread(self._render_all, parts)
        except (SQLAlchemyError, DomainError):  # a busy database or a show gone: next time
            log.exception("live feed render failed for show %s", self.sid)
            return
        for page in list(self.pages):
            message = html.get(page.kind, "")
            if page.view == "console" and page.locale in notes:
                message += notes[page.locale]
            if message:
                page.offer(message)


class LiveFanout:
    """Per process: one pump per show with open pages."""

    def __init__(self, container: Container, render: Render) -> None:
        self.container = container
        self.render = render
        self.pumps: dict[str, ShowPump] = {}

    async def open(self, sid: str, view: str, locale: str, actor: Actor) -> Page:
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

    async def stop(self) -> None:
        await stop_tasks([pump.task for pump in self.pumps.values()])
        self.pumps.clear()
