"""Text normalisation shared by every matcher: cheap, table-driven, no per-comment regex.

Live comments mix full-width and half-width characters (输入法 switches), Chinese and ASCII
punctuation, emoji and a few homophone typos; every matcher sees the same normalised form so
one keyword list covers all variants.
"""

from __future__ import annotations

import re

import numpy as np

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
# A lone surrogate (a badly escaped "\ud83d" in JSON) cannot be encoded to UTF-8, which the
# automata need: it becomes U+FFFD like any other undecodable character.
_TABLE.update({cp: 0xFFFD for cp in range(0xD800, 0xE000)})


def normalize(text: str) -> str:
    """Full-width to half-width, CJK punctuation to ASCII, lower case."""
    return text.translate(_TABLE).lower()


# The same table as a code-point lookup array (BMP only; astral code points such as most
# emoji are never remapped): a whole batch is mapped with one numpy gather, ~8x faster than
# str.translate with a dict on CJK text.
_LUT = np.arange(0x10000, dtype=np.uint32)
for _cp, _to in _TABLE.items():
    _LUT[_cp] = ord(_to) if isinstance(_to, str) else _to
_LUT[ord("A") : ord("Z") + 1] += 32
_LUT_SEPARATOR = 1  # \x01 joins the batch; inputs holding it take the slow path


def normalize_many(texts: list[str]) -> list[str]:
    """:func:`normalize` of every text, computed over the joined batch in one pass."""
    if not texts:
        return []
    joined = "\x01".join(texts)
    if joined.count("\x01") != len(texts) - 1:  # an input contains the separator itself
        joined = "\x01".join(t.replace("\x01", " ") for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = np.where(codes < 0x10000, _LUT[np.minimum(codes, 0xFFFF)], codes)
    out = mapped.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    if not out.isascii():
        out = out.lower()  # non-ASCII capitals (Cyrillic, accented Latin) as normalize() does
    return out.split("\x01")


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
