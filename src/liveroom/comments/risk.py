"""Risk / sensitive terms (假货, 欺诈, 骗子, 投诉 …) as an operator-editable lexicon.

Decision on false positives (documented in docs/comments.md): a viewer *doubting* a product
("不是假货吧? 正品吗", "这是假的吗", "is it fake?") asks a product question and is not flagged;
an *assertion or threat* ("卖假货", "骗子", "我要投诉", "this is a scam") is. Two mechanisms:
1. safe phrases that contain a term ("不是假货", "假一赔十") are in the same leftmost-longest
   automaton and swallow the term;
2. *doubtable* terms (假货, 假的, 退钱, fake …) directly followed by a question particle are
   ignored. Hard terms (骗子, 投诉, 举报, 315, scam …) count even inside questions:
   "你们是骗子吗" is an accusation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick_rs
import numpy as np

from liveroom.comments.abuse import (
    ABUSE_SET,
    ABUSE_TERMS,
    DOUBT_CUES,
    DOUBT_PREFIX,
    HEDGES,
    doubt_phrase,
)
from liveroom.comments.insults import InsultScanner
from liveroom.comments.kinds import KIND_PREFIXES, CompactTerms, find_kinds, rows_hit
from liveroom.comments.normalize import normalize

DEFAULT_RISK_TERMS: tuple[str, ...] = (
    "假货", "假的", "卖假货", "卖假", "高仿", "欺诈", "诈骗", "骗子", "骗人", "骗钱", "被骗",
    "投诉", "举报",
    "315", "12315", "维权", "虚假宣传", "虚假", "三无", "退钱", "黑心", "消费者协会", "消协",
    "工商局", "市场监管", "曝光你", "坑人", "报警", "起诉", "律师",
    # threats to go public or to the authorities
    "曝光你们", "去曝光", "挂网上", "挂你们", "找媒体", "找记者", "黑猫投诉", "12345", "市监局",
    "找工商", "告你们", "告到", "法院见",
    # fraud accusations (a plain "太贵了" is a complaint, not an accusation)
    "欺骗", "骗局", "黑店", "奸商", "忽悠人", "骗子公司", "骗人的", "诈骗犯", "割韭菜的",
    "来割韭菜", "又割韭菜", "在割韭菜", "割我们韭菜", "收智商税", "欺骗消费者", "坑消费者",
    "坑钱的", "假冒伪劣", "挂羊头卖狗肉", "货不对板", "虚标", "以次充好", "piànzi", "pianzi",
    # threats to complain or go public
    "工商", "曝光", "差评警告", "给差评", "打差评", "必差评", "给你差评", "等着差评", "差评预定",
    "上热搜", "发微博", "发小红书", "消费者权益", "找平台", "平台介入", "投诉你",
    "file a complaint", "consumer protection", "chargeback", "expose you", "report this",
    "going to report", "bbb",
    "scam", "scammer", "fake", "fraud", "counterfeit", "report you", "reporting you", "cheat",
    "rip off", "ripoff", "lawsuit", "sue you",
    # issue 14, third pass: fraud accusations without the stock words
    "骗老人", "专骗", "骗谁", "骗谁呢", "水军", "好评全是刷", "全是刷的", "都是刷的", "刷的好评",
    "都是托", "是托吧", "全是托", "knock-off", "knockoff", "scammers", "骗子直播间",
    "公安局", "派出所", "找警察", "电视台", "发视频曝光", "发抖音曝光", "工信部", "去告",
    "黑名单见", "call the police", "my lawyer",
) + ABUSE_TERMS
# Plain price complaints ("感觉被割韭菜了", "太贵了 坑钱") are complaints, not risks: 割韭菜 and
# 坑钱 are not on the list (issue 14: plain price complaints must not be flagged).
# Terms a buyer may legitimately ask about; a question particle right after them means doubt.
DOUBTABLE: frozenset[str] = frozenset({"假货", "假的", "高仿", "退钱", "三无", "虚假", "fake"})
# Terms that are the ask itself, kept when the ask is read without the insults and threats.
_ASK_TERMS: frozenset[str] = frozenset({"退钱", "给差评", "打差评"})
DEFAULT_SAFE_PHRASES: tuple[str, ...] = (
    "不是假货", "不会是假货", "是不是假货", "没有假货", "杜绝假货", "拒绝假货", "不卖假货",
    "绝不卖假",
    "非假货", "假一赔", "不是假的", "不会是假的", "是不是假的", "真的假的", "不是高仿",
    "是不是高仿",
    "不是骗子", "不骗人", "没骗", "不坑人", "工商银行", "工商执照", "工商注册", "营业执照",
    "曝光度", "曝光补偿", "不会曝光", "不要曝光", "怕曝光",
    "不是三无", "是不是三无", "not fake", "isn't fake",
    "is it fake", "is this fake", "are they fake", "not a scam", "no scam",
    # a refund asked for is after-sales, not a threat; the 315 gala is small talk
    "什么时候退钱", "啥时候退钱", "怎么退钱", "多久退钱", "几天退钱", "315晚会",
)
_QUESTION_AFTER = ("吗", "么", "嘛", "?")
_DOUBT_BEFORE = (*HEDGES, "is it", "are they", "looks", "seems")
_ENGLISH_SUFFIXES = frozenset({"", "s", "d", "r", "rs", "ed", "er", "ers", "ing", "ulent", "ster"})
_UNITS = "元块克号码斤件米毛分.%"


class RiskLexicon:
    """Mutable term list; the automaton is rebuilt lazily after an edit."""

    def __init__(
        self,
        terms: Iterable[str] = DEFAULT_RISK_TERMS,
        safe_phrases: Iterable[str] = DEFAULT_SAFE_PHRASES,
    ) -> None:
        self._terms: set[str] = {normalize(t).strip() for t in terms if t.strip()}
        self._safe: set[str] = {normalize(t).strip() for t in safe_phrases if t.strip()}
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._compact: CompactTerms | None = None
        self._patterns: list[str] = []
        self._cues = ahocorasick_rs.AhoCorasick(list(DOUBT_CUES))
        self._insults = _INSULTS
        self.version = 0  # bumped on every edit so caches keyed on results can be dropped

    @property
    def terms(self) -> list[str]:
        return sorted(self._terms)

    def add(self, term: str) -> None:
        cleaned = normalize(term).strip()
        if cleaned and cleaned not in self._terms:
            self._terms.add(cleaned)
            self._changed()

    def remove(self, term: str) -> None:
        cleaned = normalize(term).strip()
        if cleaned in self._terms:
            self._terms.discard(cleaned)
            self._changed()

    def add_safe_phrase(self, phrase: str) -> None:
        self._safe.add(normalize(phrase).strip())
        self._changed()

    def _changed(self) -> None:
        self._automaton = None
        self._compact = None
        self.version += 1

    def _build(self) -> ahocorasick_rs.AhoCorasick | None:
        if self._automaton is None and self._terms:
            self._patterns = sorted(self._terms | self._safe)
            self._automaton = ahocorasick_rs.AhoCorasick(
                self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
            # Spaced variants ("傻 逼", "骗.子") of the terms that are never a mere doubt.
            self._compact = CompactTerms(
                [t for t in self._terms if t not in DOUBTABLE and not t.isascii()]
            )
        return self._automaton

    def find(self, normalized: str) -> list[str]:
        """Risk terms asserted in an already-normalised comment, in order, without repeats;
        an authenticity doubt adds ``"doubt:<phrase>"`` (see :mod:`liveroom.comments.abuse`)."""
        automaton = self._build()
        if automaton is None:
            return []
        found = self._asserted(automaton, normalized)
        found += [t for t in find_kinds([normalized], self._compact)[0] if t not in found]
        found += _new_insults(found, self._insults.scan_texts([normalized]).get(0, []))
        if self._cues.find_matches_as_indexes(normalized):
            phrase = doubt_phrase(normalized)
            if phrase:
                found.append(DOUBT_PREFIX + phrase)
        return found

    def mask(self, normalized: str) -> str:
        """The comment with its asserted terms and insults blanked out, for reading the ask
        that rides on them ("几号发货 你们是不是智障" asks about shipping). A refund demand
        ("退钱") is the ask itself and stays."""
        return self.mask_many([normalized])[0]

    def mask_many(self, normalized: list[str]) -> list[str]:
        """:meth:`mask` of every comment (one insult scan for the batch)."""
        spans: list[list[tuple[int, int]]] = [[] for _ in normalized]
        joined = "\x00".join(normalized)
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
        for row, _, start, end in self._insults.hits(codes):
            spans[row].append((start, end))
        automaton = self._build()
        out = []
        for text, found in zip(normalized, spans, strict=True):
            if automaton is not None:
                found += [(start, end) for term, start, end in self._spans(automaton, text)
                          if term not in _ASK_TERMS]
            chars = list(text)
            for start, end in found:
                chars[start:end] = " " * (end - start)
            out.append("".join(chars))
        return out

    def _asserted(self, automaton: ahocorasick_rs.AhoCorasick, normalized: str) -> list[str]:
        found: list[str] = []
        for term, _, _ in self._spans(automaton, normalized):
            if term not in found:
                found.append(term)
        return found

    def _spans(
        self, automaton: ahocorasick_rs.AhoCorasick, normalized: str
    ) -> list[tuple[str, int, int]]:
        found: list[tuple[str, int, int]] = []
        for pid, start, end in automaton.find_matches_as_indexes(normalized):
            pattern = self._patterns[pid]
            # "是不是骗子" asks A-not-A: the safe "不是骗子" inside is no reassurance
            term = pattern if pattern in self._terms else _asked_inside(normalized, pattern, start)
            if term is None or term not in self._terms or (term != pattern and term in DOUBTABLE):
                continue
            if not _bounded(normalized, term, start, end):
                continue
            if term in DOUBTABLE and _doubted(normalized, start, end):
                continue
            found.append((term, start, end))
        return found

    def find_many(self, normalized: list[str]) -> list[list[str]]:
        automaton = self._build()
        if automaton is None:
            return [[] for _ in normalized]
        out = find_kinds(normalized, self._compact)
        # One scan of the joined batch per automaton tells which few comments need the
        # per-comment checks: term hits the boundary/doubt checks, cue hits the doubt patterns.
        joined = "\x00".join(normalized)
        ends = np.cumsum(np.fromiter(map(len, normalized), np.int64, count=len(normalized)) + 1)
        for row in rows_hit(automaton, joined, ends):
            asserted = self._asserted(automaton, normalized[row])
            out[row] = asserted + [t for t in out[row] if t not in asserted]
        for row in rows_hit(self._cues, joined, ends):
            phrase = doubt_phrase(normalized[row])
            if phrase:
                out[row].append(DOUBT_PREFIX + phrase)
        for row, tags in self._insults.scan_texts(normalized).items():
            out[row] += _new_insults(out[row], tags)
        return out


def asserts(terms: list[str]) -> bool:
    """True when a comment's terms hold more than doubts and pattern kinds (diversion, spam,
    personal data, claim bait): an accusation, threat or insult."""
    return any(not t.startswith(_NOT_ASSERTED) for t in terms)


def doubts(terms: list[str]) -> bool:
    return any(t.startswith(DOUBT_PREFIX) for t in terms)


_NOT_ASSERTED = (DOUBT_PREFIX, *KIND_PREFIXES)
_INSULTS = InsultScanner()  # immutable after construction: shared by every lexicon


def _new_insults(found: list[str], tags: list[str]) -> list[str]:
    """Root tags of the insult scanner, unless a listed insult already names the abuse."""
    return [] if any(t in ABUSE_SET for t in found) else tags


def _asked_inside(text: str, safe: str, start: int) -> str | None:
    """The term inside a safe "不是X" phrase written as the question "是不是X", else None."""
    if safe.startswith("不是") and text[max(0, start - 1) : start] == "是":
        return safe[2:]
    return None


def _doubted(text: str, start: int, end: int) -> bool:
    """"假货吗", "会不会是高仿", "别是假货": the viewer worries, they do not accuse."""
    if text[end:].lstrip().startswith(_QUESTION_AFTER):
        return True
    return any(marker in text[max(0, start - 8) : start] for marker in _DOUBT_BEFORE)


def _bounded(text: str, term: str, start: int, end: int) -> bool:
    """ASCII terms need word boundaries ("fake" not in "fakeout"); digits need digit ones."""
    if term.isdigit():
        # "315" the consumer-rights day, not "315ml" or "¥315" or a price "315元".
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        glued = before.isdigit() or before in "¥$." or (before.isascii() and before.isalpha())
        return not glued and not (
            after.isdigit() or (after.isascii() and after.isalpha()) or after in _UNITS
        )
    if term.isascii():
        if start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
            return False
        tail = re.match(r"[a-z]*", text[end:])
        # "scams", "faked", "fraudulent" count; "fakeout" does not.
        return tail is None or tail.group(0) in _ENGLISH_SUFFIXES
    return True
