"""Bilibili live ``cmd`` messages → typed connector events.

Handled: DANMU_MSG, SEND_GIFT, SUPER_CHAT_MESSAGE, INTERACT_WORD, LIKE_INFO_V3_CLICK,
WATCHED_CHANGE, ONLINE_RANK_COUNT, LIVE, PREPARING. ``IGNORED`` lists what we knowingly
drop; anything else is logged once per parser (not per message: a room sends thousands),
and a malformed known message is logged with its cause and counted, never swallowed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from liveroom.connectors.events import (
    CommentReceived,
    ConnectorEvent,
    GiftReceived,
    LikeReceived,
    LiveStatusChanged,
    OnlineCountChanged,
    SuperChatReceived,
    ViewerInteracted,
    WatchedChanged,
)

log = logging.getLogger(__name__)
PLATFORM = "bilibili"
IGNORED: frozenset[str] = frozenset({
    "COMBO_SEND", "ENTRY_EFFECT", "ENTRY_EFFECT_MUST_RECEIVE", "HOT_RANK_CHANGED",
    "HOT_RANK_CHANGED_V2", "LIKE_INFO_V3_UPDATE", "LIVE_INTERACTIVE_GAME", "NOTICE_MSG",
    "ONLINE_RANK_TOP3", "ONLINE_RANK_V2", "PK_BATTLE_END", "PK_BATTLE_PROCESS",
    "PK_BATTLE_PROCESS_NEW", "PK_BATTLE_SETTLE", "PK_BATTLE_SETTLE_V2", "POPULAR_RANK_CHANGED",
    "ROOM_REAL_TIME_MESSAGE_UPDATE", "STOP_LIVE_ROOM_LIST", "SUPER_CHAT_MESSAGE_JPN",
    "WIDGET_BANNER", "DANMU_AGGREGATION", "GUARD_HONOR_THOUSAND", "AREA_RANK_CHANGED",
})
INTERACT_KINDS = {1: "enter", 2: "follow", 3: "share", 4: "special_follow", 5: "follow"}


def _ms(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, UTC)


def _s(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)


class BilibiliParser:
    def __init__(self, room_id: int | str, now: Callable[[], datetime] | None = None) -> None:
        self.room = str(room_id)
        self._now = now or (lambda: datetime.now(UTC))
        self.unknown: set[str] = set()
        self.malformed = 0
        self._handlers: dict[str, Callable[[dict[str, Any]], ConnectorEvent]] = {
            "DANMU_MSG": self._danmaku, "SEND_GIFT": self._gift,
            "SUPER_CHAT_MESSAGE": self._super_chat, "INTERACT_WORD": self._interact,
            "LIKE_INFO_V3_CLICK": self._like, "WATCHED_CHANGE": self._watched,
            "ONLINE_RANK_COUNT": self._online, "LIVE": self._live, "PREPARING": self._live,
        }

    def parse(self, message: dict[str, Any]) -> ConnectorEvent | None:
        # Since 2019 the cmd may carry ":"-separated parameters ("DANMU_MSG:4:0:2:2:2:0").
        cmd = str(message.get("cmd", "")).split(":", 1)[0]
        handler = self._handlers.get(cmd)
        if handler is None:
            if cmd not in IGNORED and cmd not in self.unknown:
                self.unknown.add(cmd)
                log.warning("bilibili room %s: unknown cmd %s (logged once): %.200s",
                            self.room, cmd, message)
            return None
        try:
            return handler(message)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            self.malformed += 1
            log.warning("bilibili room %s: malformed %s (%s: %s)", self.room, cmd,
                        exc.__class__.__name__, exc)
            return None

    def _danmaku(self, m: dict[str, Any]) -> CommentReceived:
        info = m["info"]
        meta, text, user = info[0], info[1], info[2]
        extra = info[9] if len(info) > 9 and isinstance(info[9], dict) else {}
        msg_id = extra.get("ct") or None
        return CommentReceived(PLATFORM, self.room, _ms(meta[4]), msg_id, str(user[0]),
                               str(user[1]), str(text))

    def _gift(self, m: dict[str, Any]) -> GiftReceived:
        d = m["data"]
        # Gold seeds (金瓜子) are paid: 1,000 = ¥1 = 100 fen. Silver seeds are free.
        fen = int(d.get("total_coin", 0)) // 10 if d.get("coin_type") == "gold" else 0
        return GiftReceived(PLATFORM, self.room, _s(d["timestamp"]), str(d["uid"]),
                            str(d["uname"]), str(d["giftName"]), int(d["num"]), fen)

    def _super_chat(self, m: dict[str, Any]) -> SuperChatReceived:
        d = m["data"]
        return SuperChatReceived(PLATFORM, self.room, _s(d["start_time"]), str(d["uid"]),
                                 str(d["user_info"]["uname"]), str(d["message"]),
                                 int(d["price"]) * 100)

    def _interact(self, m: dict[str, Any]) -> ViewerInteracted:
        d = m["data"]
        kind = INTERACT_KINDS.get(int(d["msg_type"]), f"type_{d['msg_type']}")
        return ViewerInteracted(PLATFORM, self.room, _s(d["timestamp"]), str(d["uid"]),
                                str(d["uname"]), kind)

    def _like(self, m: dict[str, Any]) -> LikeReceived:
        d = m["data"]
        return LikeReceived(PLATFORM, self.room, self._now(), str(d["uid"]), str(d["uname"]))

    def _watched(self, m: dict[str, Any]) -> WatchedChanged:
        return WatchedChanged(PLATFORM, self.room, self._now(), int(m["data"]["num"]))

    def _online(self, m: dict[str, Any]) -> OnlineCountChanged:
        return OnlineCountChanged(PLATFORM, self.room, self._now(), int(m["data"]["count"]))

    def _live(self, m: dict[str, Any]) -> LiveStatusChanged:
        return LiveStatusChanged(PLATFORM, self.room, self._now(), m["cmd"] == "LIVE")
