"""The console's comment stream as data: comments, replies, hidden comments and moderated
viewers since a cursor, read once per batch and shaped per locale (the page's console.js
keeps them in a ring buffer and draws only the rows in view). One read serves every open
console of the show; labels are translated here, so no code reaches the page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql.schema_comments import comment_moderation, comments
from liveroom.adapters.sql.schema_live import comment_replies
from liveroom.core.clock import as_aware, local
from liveroom.entrypoints.api.web_i18n import translations
from liveroom.entrypoints.api.web_labels import LABELS, N_

SNAPSHOT = 300  # what a fresh page starts with: the latest comments when it was drawn
RESUME = 5000  # at most this many for a page that resumes (console_comments.js keeps 5,000)
BATCH = 2000  # at most this many per message; the rest comes with the next one
SHOWN_INTENTS = ("product_question", "price_question", "logistics_question", "aftersales",
                 "technical", "complaint", "purchase_intent")


@dataclass
class Cursor:
    """Where the last batch ended; each field only grows."""

    seq: int = 0
    reply_at: datetime | None = None
    hidden_at: datetime | None = None
    moderated_id: int = 0


@dataclass(frozen=True)
class Rows:
    comments: list[Any]
    replies: list[Any]
    hidden: list[str]
    moderated: list[Any]

    def __bool__(self) -> bool:
        return bool(self.comments or self.replies or self.hidden or self.moderated)


def _risky(r: Any) -> bool:
    return bool(r.sensitive or r.intent == "complaint" or r.sentiment == "neg")


def snapshot_start(conn: Any, sid: str) -> int:
    """The seq a page drawn now resumes after: its stream starts with the latest SNAPSHOT
    comments and misses none that arrive before its feed is open."""
    c = comments.c
    seq = conn.execute(select(c.seq).where(c.session_id == sid).order_by(c.seq.desc())
                       .offset(SNAPSHOT).limit(1)).scalar()
    return int(seq or 0)


def read(conn: Any, sid: str, cursor: Cursor | None, since: int | None = None
         ) -> tuple[Rows, Cursor]:
    """Rows after `cursor`; with no cursor, a page's first batch: the comments after `since`
    (the newest RESUME of them), or the latest SNAPSHOT, and everything else of the show.
    Returns the cursor after them."""
    c, r, m = comments.c, comment_replies.c, comment_moderation.c
    cols = (c.id, c.seq, c.buyer_id, c.nickname, c.text, c.ts, c.intent, c.sensitive,
            c.sentiment, c.hidden)
    if cursor is None:
        first = select(*cols).where(c.session_id == sid)
        if since is not None:
            first = first.where(c.seq > since)
        rows = list(reversed(conn.execute(first.order_by(c.seq.desc()).limit(
            SNAPSHOT if since is None else RESUME)).all()))
        cursor = Cursor(seq=since or 0)
    else:
        rows = conn.execute(select(*cols).where(c.session_id == sid, c.seq > cursor.seq)
                            .order_by(c.seq).limit(BATCH)).all()
    rq = select(r.id, r.comment_id, r.text, r.created_at, c.nickname).join(
        comments, c.id == r.comment_id).where(r.session_id == sid)
    if cursor.reply_at is not None:
        rq = rq.where(r.created_at > cursor.reply_at)
    replies = list(reversed(conn.execute(rq.order_by(r.created_at.desc()).limit(200)).all()))
    hq = select(c.id, c.hidden_at).where(c.session_id == sid, c.hidden.is_(True))
    if cursor.hidden_at is not None:
        hq = hq.where(c.hidden_at > cursor.hidden_at)
    hidden = conn.execute(hq).all()
    moderated = conn.execute(select(m.id, m.buyer_id, m.kind).where(
        m.session_id == sid, m.id > cursor.moderated_id).order_by(m.id)).all()
    after = Cursor(
        seq=rows[-1].seq if rows else cursor.seq,
        reply_at=as_aware(replies[-1].created_at) if replies else cursor.reply_at,
        hidden_at=max((as_aware(h.hidden_at) for h in hidden if h.hidden_at),
                      default=cursor.hidden_at),
        moderated_id=moderated[-1].id if moderated else cursor.moderated_id)
    return Rows(rows, replies, [h.id for h in hidden], moderated), after


def payload(rows: Rows, locale: str, tz: str) -> str:
    """One SSE message's JSON for pages in `locale`."""
    tr = translations(locale)
    word = {k: tr.gettext(v) for k, v in LABELS["intent"].items() if k in SHOWN_INTENTS}
    flags = {"mute": tr.gettext(N_("Muted")), "ban": tr.gettext(N_("Banned"))}
    viewer = tr.gettext(N_("Viewer"))
    items = [{"id": x.id, "seq": x.seq, "b": x.buyer_id, "n": x.nickname or viewer,
              "x": x.text, "t": local(as_aware(x.ts), tz).strftime("%H:%M:%S"),
              "k": word.get(x.intent, ""), "r": _risky(x), "h": bool(x.hidden)}
             for x in rows.comments]
    replies = [{"id": x.id, "c": x.comment_id, "n": x.nickname or viewer, "x": x.text,
                "t": local(as_aware(x.created_at), tz).strftime("%H:%M:%S")}
               for x in rows.replies]
    return json.dumps({"items": items, "replies": replies, "hidden": rows.hidden,
                       "moderated": {x.buyer_id: flags.get(x.kind, "") for x in rows.moderated}},
                      ensure_ascii=False, separators=(",", ":"))
