"""What a Chinese-speaking operator must not read on a page: raw ids, snake_case codes,
enum values, Python literals, UTC timestamps and untranslated English, in the visible text
and in the words the browser shows from attributes (placeholder, title, aria-label, alt).
Shared by the browser walk (e2e/test_pages_speak_chinese.py) and the fast page renders
(integration/test_pages_words.py)."""

from __future__ import annotations

import re
from html import unescape

# A project id (core/ids.py: 26 chars of lower-case Crockford base32) or any ULID.
RAW_ID = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{26}\b", re.IGNORECASE)
SNAKE = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}\b")  # an untranslated phrase
# Any lower-case Latin word (an untranslated label, a code, "kitchen" typed into a field
# of the demo); a word inside a hyphenated or dotted name is the operator's data.
LATIN_WORD = re.compile(r"(?<![\w.-])[a-z]{3,}(?![\w.-])")
URL = re.compile(r"https?://\S+")
PY_LITERAL = re.compile(r"\b(None|True|False|null|undefined|NaN)\b")
# Enum values the code stores (session, order, after-sales, flash sale, ticket, tier,
# channel kinds...), as whole words: on a zh-CN page they must show as their label. A word
# inside a hyphenated name (the login "demo-ops", a product code) is the operator's data.
ENUM_WORDS = re.compile(r"(?<![\w-])(planned|rehearsal|warmup|live|paused|ended|cancelled|canceled|"
                        r"pending|pending_payment|paid|shipped|delivered|refunded|closed|open|"
                        r"approved|rejected|resolved|escalated|scheduled|running|finished|"
                        r"active|draft|listed|unlisted|sold_out|traffic|profit|image|"
                        r"threshold|instant|refund_only|return_refund|exchange|natural|paid|"
                        r"private|organic|feed_ads|kol|community|wecom|sms|admin|ops|console|"
                        r"connector|cs|warehouse|viewer|conversion|aov|gmv)(?![\w-])")
# Words allowed to stay as they are, and why:
ALLOWED = {
    "GMV", "UV", "PV", "GPM", "ROI", "AOV", "KOL", "KOC", "SKU", "SPU", "FAQ", "CSV", "Excel",
    "A/B", "SLA",  # trade terms Chinese live-commerce operators use in Latin letters
    "liveroom",  # the product's name
    "bootstrap",  # glossed after its Chinese name on the experiments page: 自助法（bootstrap）
}
CODES = (RAW_ID, SNAKE, ISO_UTC, PY_LITERAL)
EVERYTHING = (*CODES, ENUM_WORDS, ENGLISH, LATIN_WORD)
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
_ATTRIBUTE = re.compile(r"""\s(placeholder|title|aria-label|alt)\s*=\s*("[^"]*"|'[^']*')""",
                        re.I)


def offenders(text: str, patterns: tuple[re.Pattern[str], ...] = EVERYTHING) -> list[str]:
    """The words of a page's text a Chinese-speaking operator should not see."""
    text = URL.sub(" ", text)  # a tracked link is shown to be copied, as it is
    found = []
    for pattern in patterns:
        found += [m.group(0) for m in pattern.finditer(text) if m.group(0) not in ALLOWED]
    return found


def visible_text(html: str) -> str:
    """The text of an HTML page without its markup, scripts, styles and comments."""
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    html = re.sub(r"<(style|script)\b[^>]*>.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def attribute_text(html: str) -> list[str]:
    """The words the browser shows from attributes: placeholders, tooltips, labels."""
    html = re.sub(r"<(style|script)\b[^>]*>.*?</\1>", " ", html, flags=re.S | re.I)
    return [unescape(m.group(2)[1:-1]) for m in _ATTRIBUTE.finditer(html)]


def leaks(html: str) -> dict[str, list[str]]:
    """What leaks on a page, in its text and in its shown attributes (empty: nothing)."""
    found = {"text": offenders(visible_text(html)),
             "attributes": [w for a in attribute_text(html) for w in offenders(a)]}
    return {k: v for k, v in found.items() if v}
