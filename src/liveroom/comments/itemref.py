"""Which item a purchase comment refers to: a link number ("2号", "#3") or a spec ("粉色M码")."""

from __future__ import annotations

import re

from liveroom.comments.normalize import to_halfwidth

_ITEM_NUMBER = re.compile(
    r"(?:(?<!\d)(\d{1,3})\s*号)|(?:#\s*(\d{1,3}))|(?:第\s*(\d{1,3})\s*[个款号])"
    r"|(?:\b(?:link|no\.?|number|item)\s*#?\s*(\d{1,3})\b)|(?:链接\s*(\d{1,3}))",
    re.IGNORECASE,
)
_COLOR = (
    r"(?:酒红|藏青|卡其|雾霾蓝|奶白|米白|杏|焦糖|咖啡|天蓝|浅蓝|深蓝|墨绿|军绿|浅灰|深灰|玫红|"
    r"粉|红|黑|白|蓝|绿|黄|紫|灰|棕|咖|米|橙|金|银)色?"
)
_SIZE = r"(?:[2-5]?x{0,3}[sml]|x{1,3}l|均码|大码|小码|\d{2,3}\s*码|\d{2,3}(?:cm)?)(?![a-z])"
_SPEC = re.compile(
    rf"(?:要|拍|来|买|选|留|want|take)\s*了?\s*(?:一[件个套]|两[件个套])?\s*"
    rf"((?:{_COLOR})\s*(?:{_SIZE}\s*码?)?|(?:{_SIZE})\s*码?)",
    re.IGNORECASE,
)
_BARE_SPEC = re.compile(rf"^\s*((?:{_COLOR})\s*(?:{_SIZE})\s*码?)", re.IGNORECASE)


def extract_item_ref(text: str) -> str | None:
    """Return "2" for "2号要了", "粉色M码" for "要粉色M码", else None.

    "扣1" is not item 1: it is the live-room convention for "I'm in", so only an explicit
    number marker (号, #, 第N个, link N) counts as an item number.
    """
    half = to_halfwidth(text)
    number = _ITEM_NUMBER.search(half)
    if number:
        return next(g for g in number.groups() if g)
    spec = _SPEC.search(half) or _BARE_SPEC.search(half)
    if spec:
        return spec.group(1).strip()
    return None


_DIGITS_ONLY = re.compile(r"^\s*(\d{1,2}|(\d)\2+)\s*$")
# Cheers and net slang: 666 (awesome), 888 (发发发), 999, 520 (I love you), 555 (crying).
_CHEER_NUMBERS = frozenset({"66", "88", "99", "520", "1314", "55"})
_CHEER_DIGITS = frozenset("5689")


def is_bare_purchase_number(normalized: str) -> bool:
    """"1", "111", "2", "2222": typed in answer to "扣1/扣2"; "666"/"888" are cheers."""
    stripped = normalized.strip()
    if not _DIGITS_ONLY.match(stripped) or stripped in _CHEER_NUMBERS:
        return False
    return not (len(stripped) >= 3 and stripped[0] in _CHEER_DIGITS)
