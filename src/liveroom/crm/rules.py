"""Where the tier rules come from: LIVEROOM_MEMBER_TIERS (the JSON itself, or a path to a
JSON file) or the packaged defaults in data/tiers.json. Rules are data: every process reads
the same environment, so they agree without sharing state."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from liveroom.crm.model import TierRules

DEFAULT_RULES = Path(__file__).parent / "data" / "tiers.json"
ENV = "LIVEROOM_MEMBER_TIERS"


@lru_cache(maxsize=8)
def _parse(text: str) -> TierRules:
    return TierRules.from_json(text)


def tier_rules() -> TierRules:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return _parse(DEFAULT_RULES.read_text(encoding="utf-8"))
    if value.startswith("{"):
        return _parse(value)
    return _parse(Path(value).read_text(encoding="utf-8"))
