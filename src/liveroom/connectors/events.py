"""Typed events every platform connector emits (platform-neutral)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ConnectorEvent:
    platform: str
    room_id: str
    ts: datetime


@dataclass(frozen=True, slots=True)
class CommentReceived(ConnectorEvent):
    msg_id: str | None
    buyer_id: str
    nickname: str
    text: str


@dataclass(frozen=True, slots=True)
class GiftReceived(ConnectorEvent):
    buyer_id: str
    nickname: str
    gift: str
    count: int
    value_fen: int  # what the platform charged the viewer, in fen


@dataclass(frozen=True, slots=True)
class SuperChatReceived(ConnectorEvent):
    buyer_id: str
    nickname: str
    text: str
    value_fen: int


@dataclass(frozen=True, slots=True)
class ViewerInteracted(ConnectorEvent):
    buyer_id: str
    nickname: str
    kind: str  # enter | follow | share | special_follow


@dataclass(frozen=True, slots=True)
class LikeReceived(ConnectorEvent):
    buyer_id: str
    nickname: str


@dataclass(frozen=True, slots=True)
class WatchedChanged(ConnectorEvent):
    watched: int  # the platform's "N人看过" counter


@dataclass(frozen=True, slots=True)
class OnlineCountChanged(ConnectorEvent):
    count: int


@dataclass(frozen=True, slots=True)
class LiveStatusChanged(ConnectorEvent):
    live: bool
