"""Keyword lottery / password red packet (口令红包): verifiable, reproducible draws.

Protocol: before the game the operator publishes ``commitment = sha256(seed)``; entrants
are the buyers whose comment contains the keyword inside [start, end] (one entry each);
after the window, the seed is revealed and anyone can recompute the winners from the seed
and the sorted entrant list: each entrant's ticket is sha256(seed || 0x00 || buyer_id), the
``k`` smallest tickets win. No RNG state, no ordering dependence on arrival.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from liveroom.comments.model import Comment
from liveroom.comments.normalize import normalize


class CommitmentMismatch(ValueError):
    """The revealed seed does not hash to the published commitment."""

    code = "lottery_commitment_mismatch"


def new_seed() -> str:
    return secrets.token_hex(32)


def commit(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class KeywordLottery:
    keyword: str
    start: datetime
    end: datetime
    commitment: str
    winners_count: int = 1

    def entrants(self, comments: Iterable[Comment]) -> list[str]:
        """Sorted, unique buyer ids with a keyword comment inside the window."""
        wanted = normalize(self.keyword).replace(" ", "")
        buyers = {
            c.buyer_id
            for c in comments
            if self.start <= c.ts <= self.end and wanted in normalize(c.text).replace(" ", "")
        }
        return sorted(buyers)

    def draw(self, seed: str, entrants: Iterable[str]) -> list[str]:
        if commit(seed) != self.commitment:
            raise CommitmentMismatch("revealed seed does not match the published commitment")
        return draw_winners(seed, entrants, self.winners_count)


def ticket(seed: str, buyer_id: str) -> str:
    return hashlib.sha256(seed.encode("utf-8") + b"\x00" + buyer_id.encode("utf-8")).hexdigest()


def draw_winners(seed: str, entrants: Iterable[str], k: int) -> list[str]:
    unique = sorted(set(entrants))
    return sorted(unique, key=lambda buyer: (ticket(seed, buyer), buyer))[: max(0, k)]
