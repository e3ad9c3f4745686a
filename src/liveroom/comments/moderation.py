"""Mute and ban in a session: a moderated author's comments are kept (and flagged) but are
neither queued for the host, answered, entered in games nor counted for alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ModerationKind = Literal["mute", "ban"]


@dataclass
class Moderation:
    _until: dict[str, tuple[ModerationKind, datetime | None]] = field(default_factory=dict)

    def apply(self, buyer_id: str, kind: ModerationKind, until: datetime | None) -> None:
        current = self._until.get(buyer_id)
        if current is not None and current[0] == "ban" and kind == "mute":
            return  # a later mute does not shorten a ban
        self._until[buyer_id] = (kind, until)

    def flag(self, buyer_id: str, at: datetime) -> ModerationKind | None:
        entry = self._until.get(buyer_id)
        if entry is None:
            return None
        kind, until = entry
        if until is not None and at >= until:
            return None
        return kind
