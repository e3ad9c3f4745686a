"""Text normalisation shared by every matcher: cheap, table-driven, no per-comment regex.

Live comments mix full-width and half-width characters (输入法 switches), Chinese and ASCII
punctuation, emoji and a few homophone typos; every matcher sees the same normalised form so
one keyword list covers all variants.
"""

from __future__ import annotations

import re

from liveroom.comments.model import Language

# Full-width ASCII block -> ASCII; CJK punctuation -> the ASCII mark the keyword lists use.
_TABLE: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE.update(
    {
        0x3000: " ",  # ideographic space
        ord("。"): ".",
        ord("、"): ",",
        ord("～"): "~",
        ord("“"): '"',
        ord("”"): '"',
        ord("‘"): "'",
        ord("’"): "'",
        ord("【"): "[",
        ord("】"): "]",
        ord("《"): "<",
        ord("》"): ">",
        ord("…"): ".",
        ord("\n"): " ",
        ord("\r"): " ",
        ord("\t"): " ",
        0: " ",  # NUL is the batch separator of the fast path; never let input forge it
    }
)


def normalize(text: str) -> str:
    """Full-width to half-width, CJK punctuation to ASCII, lower case."""
    return text.translate(_TABLE).lower()


def normalize_many(texts: list[str]) -> list[str]:
    # One translate over the joined batch is ~10x cheaper than one call per comment.
    joined = "\x01".join(t.replace("\x01", " ") for t in texts)
    return joined.translate(_TABLE).lower().split("\x01")


_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")
# Pinyin initialisms and sizes are Chinese live-room usage, not English.
_PINYIN_SLANG = frozenset(
    {
        "yyds", "zbjj", "xswl", "nb", "nsdd", "awsl", "dd", "xl", "xxl", "xxxl", "xs",
        "vx", "qq", "kk", "hh", "hhh", "hhhh", "zb", "gg", "bb", "jj", "mm", "dz", "tb", "pdd",
        "ok", "cm", "kg", "ml", "vip", "app", "plus", "max", "pro", "sku",
    }
)


def detect_language(normalized: str) -> Language:
    has_cjk = _CJK.search(normalized) is not None
    english_words = [w for w in _LATIN_WORD.findall(normalized) if w not in _PINYIN_SLANG]
    if has_cjk and english_words:
        return "mixed"
    if english_words and not has_cjk:
        return "en"
    return "zh"  # CJK-only, or digits/emoji only ("1", "666"): the room's language


_KEY_DROP = re.compile(r"[\s\W_]+|[呢啊呀吧哈嘛哦噢啦么吗的了]|主播|宝宝|姐姐|亲|请问", re.UNICODE)


def question_key(normalized: str) -> str:
    """A coarse key for clustering identical questions typed slightly differently."""
    return _KEY_DROP.sub("", normalized)


def char_ngrams(normalized: str, n: int = 2) -> set[str]:
    compact = _KEY_DROP.sub("", normalized) or normalized
    if len(compact) < n:
        return {compact}
    return {compact[i : i + n] for i in range(len(compact) - n + 1)}


def to_halfwidth(text: str) -> str:
    """Like :func:`normalize` but keeps case, for spans shown back to people ("粉色M码")."""
    return text.translate(_TABLE)
