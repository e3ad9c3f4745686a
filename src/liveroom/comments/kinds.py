"""Pattern kinds of ``sensitive`` beyond the term lexicon (issue 14, second pass).

A comment needs a moderator when it:
- *diverts* buyers off the platform or offers a private deal ("加我微信", "加 V", "vx: abc123",
  "私我便宜", "去某宝搜更便宜", "拼夕夕才一半价", "add me on whatsapp");
- *advertises* or spams (刷单, 兼职, 代购, 引流, 互粉, URLs);
- *leaks personal data* (a mobile number, an ID-card number, a street address);
- *baits an extreme claim* the advertising law forbids the host to make ("是不是全网最低",
  "敢说最便宜吗", "全网第一吧");
- writes a listed insult, fraud accusation or diversion with spaces, dots or stars between
  the characters ("傻 逼", "骗.子", "加 微 信"): matched on the comment with every separator
  removed, for Chinese terms only.

Tags: ``divert:<text>``, ``spam:<text>``, ``pii:phone|id|address``, ``bait:<text>``; a spaced
variant reports the listed term itself. None of these makes the comment a complaint: a
"加微信" viewer is not angry. Cost: one Aho-Corasick scan of the batch for cues and one of
the compact batch; regexes run only on the rows those hit (or rows with ≥ 7 digits).
"""

from __future__ import annotations

import re

import ahocorasick_rs
import numpy as np

KIND_PREFIXES = ("divert:", "spam:", "pii:", "bait:", "vulgar:")

_IM = r"(?:微信|威信|薇信|维信|卫星|v信|vx|vv|wx|weixin|qq|扣扣|企鹅|q|v|tg|telegram|whatsapp|line)"
_SHOP = (
    r"(?:某宝|淘宝|tb|桃宝|拼夕夕|pdd|拼多多|并夕夕|某多多|闲鱼|某鱼|某东|京东|1688|阿里巴巴|外面)"
)
# Shop names written in code ("某宝", "拼夕夕") are a diversion wherever they appear.
_CODED_SHOP = r"某宝|桃宝|拼夕夕|并夕夕|某多多|某鱼|某东|某音|tb同款|咸鱼|抖某|某手|某猫"
_PATTERNS: dict[str, str] = {
    "divert": "|".join(
        [
            rf"(?:加|\+|➕|扣|私|找|联系)\s*(?:我|俺|你|一下|下)?\s*{_IM}(?![a-z])",
            r"(?:微信|威信|薇信|卫星|vx|wx|v信|qq|扣扣)\s*(?:号|是|:)?\s*[a-z0-9_-]{5,}",
            _CODED_SHOP,
            r"私(?:聊|我|信我|下聊|下交易|发|下)|私信我|私发",
            rf"(?:去|上|到|在){_SHOP}[^\x00]{{0,8}}(?:买|搜|便宜|下单|更便宜)",
            rf"{_SHOP}[^\x00]{{0,6}}(?:更便宜|便宜多了|便宜一半|一半价|半价|才\d|只要\d|才[一二两三四五六七八九十几]|同款)",
            r"(?:链接|联系方式)发我|发我链接|线下交易|转账给我|直接转账|不走平台|走私单|绕过平台",
            # issue 14, third pass: paying outside the platform, QR codes, other live rooms
            r"微信转|转账|转你钱|直接转你|收款码|二维码|扫我头像|看我头像|我头像|别走平台|私下交易|"
            r"(?:我的|我家|我们)店|来看看我|(?:隔壁|别家|别的|其他|某某|xx|李佳琦|薇娅)直播间|"
            r"(?:来|去|进)我(?:的|们)?直播间|"
            r"直播间在(?:送|抽|发)|别家卖",
            r"\bdm\s+me\b|\b(?:message|text|add|contact)\s+me\s+(?:on|at|via)\b|\bwhatsapp\b"
            r"|\bcheaper\s+on\b(?!\s*\d)|\boff\s+platform\b",
        ]
    ),
    "spam": "|".join(
        [
            r"刷单|兼职|日赚|日入|招代理|代购|引流|互粉|互关|回关|涨粉|点我头像|看我主页|进我主页|"
            r"主页有福利|主页有|点我主页|扫码领|扫码加|qq群|免费领取|加盟|网赚|躺赚|招聘|刷粉|贷款|借钱|网贷|博彩|彩票群|"
            r"代开发票|代开|假发票|开假票|各种票|发票代开|进群|福利视频|低价批发|"
            r"代刷|刷好评|刷销量|刷流量|买粉|买赞",
            r"https?:|www\.|\.com\b|\.cn\b|\.net\b|\bt\.me\b",
            r"\b(?:earn|make)\s+(?:money|\$)|\bfree\s+(?:money|gift\s+card)|\bfollow\s+for\s+follow\b"
            r"|\bcheck\s+my\s+profile\b|\bfollow\s+me\b|\btelegram\b",
        ]
    ),
    "bait": "|".join(
        [
            r"全网最[低便好]|全网第一|全国第一|世界第一|行业第一|销量第一|史上最[低便好]|国家级|最高级",
            r"(?:敢说|敢不敢说|敢保证|能保证|保证|承诺|是不是|是否)[^\x00]{0,4}(?:最便宜|最低|最好|第一|最牛)",
            r"(?:最便宜|最低价|史上最低)[^\x00]{0,3}(?:吧|吗|嘛|么|对吧|是吧|\?)",
            r"\b(?:cheapest|lowest\s+price|best)\s+(?:anywhere|online|on\s+the\s+internet|in\s+the\s+world)\b",
            r"\b(?:number\s+one|no\.?\s*1)\s+in\s+the\s+(?:world|country)\b",
            # medical and guarantee claims, and daring the host to make one
            r"全网[^\x00]{0,4}最|根治|能治|治好|治愈|不用吃药|不吃药|药到病除|保证[^\x00]{0,6}瘦|"
            r"百分百有效|100%有效|敢说吗|你敢说|敢不敢说|你保证吗|敢保证吗|敢写",
        ]
    ),
    # Sexual and political content: a small conservative list (never product words).
    "vulgar": r"约炮|裸聊|黄片|色情|一夜情|露点|脱光|脱了给我看|看你胸|胸真大|大胸妹|奶子|"
    r"\bporn\b|\bnudes?\b|show\s+(?:your\s+)?(?:boobs|tits)|sexy\s+pics|"
    r"习近平|共产党|共匪|台独|港独|藏独|法轮功|六四|反共|政府垃圾|领导人|游行|示威|聊聊政府|"
    r"政府那些|政府的破事|约吗|约不约|约一下|约个|一起睡|开房|睡一晚|再露|露一点|再低一点吗|"
    r"私聊发点照片|发点照片",
    "address": r"(?:路|街|巷|弄|大道|村|小区|大厦|花园|公寓|苑)\s*\d+\s*(?:号|栋|幢|楼|单元|室|弄)"
    r"|\d+\s*(?:栋|幢|号楼)\s*\d+\s*(?:单元|室|号)?",
}
_KIND = {name: re.compile(p) for name, p in _PATTERNS.items()}
_PHONE = re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_ID = re.compile(
    r"(?<![\d订单号])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])\d{3}[\dx](?!\d)"
)
_ORDER = re.compile(r"(?:订单|单号|运单|快递号|物流号|order)[^\x00]{0,4}$")

_CUE_TEXT = """
加我 加俺 私我 微信 威信 薇信 卫星 维信 v信 vx vv wx weixin qq 扣扣 企鹅 tg
telegram whatsapp 加v 加_v 加q 加_q 加line +v +_v +q
+_q +微 ➕ 私 联系方式 某宝 淘宝 tb 桃宝 拼夕夕 pdd 拼多多 并夕夕 某多多
闲鱼 某鱼 某东 京东 1688 阿里巴巴 咸鱼 抖某 某手 某猫 链接发 发我链接 线下交易 转账 走平台 过平台
off_platform dm_me text_me add_me message_me
contact_me cheaper_on 刷单 兼职 日赚 日入 招代理 代购 引流 互粉
互关 回关 涨粉 头像 主页 免费领 加盟 网赚 躺赚 招聘 刷粉 贷款 借钱 网贷 博彩
彩票群 扫码 qq群 http www. .com .cn .net t.me
make_money earn_money make_$ earn_$ free_money
free_gift follow_for follow_me check_my 约炮 裸聊 黄片
色情 一夜情 露点 脱光 脱了给我看 看你胸 胸真大 大胸妹 奶子 porn nude
show_your sexy_pics 习近平 共产党 共匪 台独 港独 藏独 法轮功 六四
反共 政府垃圾 全网 全国第一 世界第一 行业第一 销量第一 史上最 国家级 最高级 最便宜
最低 最牛 是最好 说最好 证最好 第一吗 第一吧 第一的 第一? 是第一 说第一
cheapest lowest_price best_anywhere best_online
best_on_the best_in_the in_the_world
in_the_country 栋 幢 号楼
你微信 你v 你vx 你qq 转你 收款码 二维码 我的店 我家店 我们店 来看看我 隔壁直播间 别家
别的直播间 其他直播间 某某直播间 xx直播间 李佳琦直播间 薇娅直播间 直播间在 代开 假发票
假票 各种票 进群 福利视频
低价批发 我直播间 我的直播间 我们直播间 代刷 刷好评 刷销量 刷流量 买粉 买赞
根治 能治 治好 治愈 吃药 药到病除 保证 百分百有效 100%有效 敢说 敢不 敢写 领导人
游行 示威 政府 约吗 约不约 约一下 约个 一起睡 开房 睡一晚 再露 露一点 再低一点 照片
"""
# "_" stands for a space; an address cue is a street word right before a number.
_ADDRESS_CUES = [
    f"{word}{gap}{digit}" for word in "路街巷弄道村区厦园寓苑" for gap in ("", " ")
    for digit in "0123456789"
]
_CUE_LIST = sorted({w.replace("_", " ") for w in _CUE_TEXT.split()} | set(_ADDRESS_CUES))
_CUES = ahocorasick_rs.AhoCorasick(_CUE_LIST)
_NAMES = ("divert", "spam", "bait", "vulgar")


def _kinds_cued(cue: str) -> frozenset[str]:
    """The patterns a cue can start: those whose source holds it literally, else all."""
    if cue in _ADDRESS_CUES:
        return frozenset({"address"})
    return frozenset(n for n in _NAMES if cue in _PATTERNS[n]) or frozenset(_NAMES)


# Which regexes to run on a row: only those of the cues it holds (~3x fewer searches).
_CUE_KINDS = [_kinds_cued(cue) for cue in _CUE_LIST]
# Removed for the compact scan: spaces and the marks people put between characters.
_SEPARATORS = np.zeros(0x10000, dtype=bool)  # a lookup table over the BMP
_SEPARATORS[[ord(c) for c in " .,*-_~/|\\!?'\"`^+=#·•、。,.·"]] = True


class CompactTerms:
    """The spaced-variant scan: Chinese terms of ≥ 2 characters only (Latin ones would
    match across word gaps)."""

    def __init__(self, terms: list[str]) -> None:
        chinese = {t: t for t in terms if len(t) >= 2 and any("\u4e00" <= c <= "\u9fff" for c in t)}
        self._tag = chinese | SPACED_KIND_TERMS
        self.patterns = sorted(self._tag)
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns)

    def tag(self, pattern: str) -> str:
        return self._tag[pattern]


# Kind terms people space out to slip past filters ("加 微 信", "兼 职").
SPACED_KIND_TERMS: dict[str, str] = {
    **{
        t: f"divert:{t}"
        for t in ["加微信", "加我微信", "加威信", "加薇信", "加v信", "私聊", "私我", "联系我"]
    },
    **{
        t: f"spam:{t}"
        for t in ["兼职", "刷单", "日赚", "日结", "代购", "引流", "互粉", "招代理", "网贷"]
    },
    **{t: f"vulgar:{t}" for t in ["约炮", "裸聊", "色情", "共产党", "法轮功", "台独"]},
}


def _row_index(lengths: np.ndarray) -> np.ndarray:
    return np.cumsum(lengths + 1)


def rows_hit(automaton: ahocorasick_rs.AhoCorasick, joined: str, ends: np.ndarray) -> list[int]:
    """Rows of a NUL-joined batch (``ends``: cumulative row ends) the automaton hits."""
    hits = automaton.find_matches_as_indexes(joined)
    if not hits:
        return []
    starts = np.fromiter((s for _, s, _ in hits), np.int64, count=len(hits))
    rows: list[int] = np.unique(np.searchsorted(ends, starts, side="right")).tolist()
    return rows


def kinds_of(text: str, names: frozenset[str] | None = None, numbers: bool = True) -> list[str]:
    """The pattern-kind tags of one normalised comment: every kind, or only ``names`` (and
    the phone/ID checks only with ``numbers``)."""
    tags: list[str] = []
    for name in _NAMES:
        match = _KIND[name].search(text) if names is None or name in names else None
        if match:
            tags.append(f"{name}:{match.group(0).strip()}")
    address = names is None or "address" in names
    return tags + personal_data(text, numbers=numbers, address=address)


def personal_data(text: str, *, numbers: bool = True, address: bool = True) -> list[str]:
    """``pii:`` tags of one normalised comment: a mobile number, an ID-card number that is
    not an order number, a street address."""
    tags: list[str] = []
    if numbers and _PHONE.search(text):
        tags.append("pii:phone")
    for match in _ID.finditer(text) if numbers else ():
        if not _ORDER.search(text[: match.start()]):
            tags.append("pii:id")
            break
    if address and _KIND["address"].search(text):
        tags.append("pii:address")
    return tags


def find_kinds(
    normalized: list[str], compact: CompactTerms | None
) -> list[list[str]]:
    """Tags per comment: pattern kinds, plus listed Chinese terms written with separators
    between their characters (reported as the term)."""
    out: list[list[str]] = [[] for _ in normalized]
    if not normalized:
        return out
    joined = "\x00".join(normalized)
    lengths = np.fromiter(map(len, normalized), np.int64, count=len(normalized))
    ends = _row_index(lengths)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    digits = (codes >= 48) & (codes <= 57)
    seen = np.concatenate(([0], np.cumsum(digits)))  # digits before each position
    per_row = seen[ends - 1] - seen[ends - 1 - lengths]
    numbers = per_row >= 7  # enough digits for a phone or ID-card number
    cued: dict[int, set[str]] = {}
    hits = _CUES.find_matches_as_indexes(joined)
    if hits:
        m = np.asarray(hits, dtype=np.int64)
        for pid, row in zip(m[:, 0].tolist(), np.searchsorted(ends, m[:, 1], side="right")
                            .tolist(), strict=True):
            cued.setdefault(row, set()).update(_CUE_KINDS[pid])
    for row, names in cued.items():
        out[row] = kinds_of(normalized[row], frozenset(names), bool(numbers[row]))
    for row in np.flatnonzero(numbers).tolist():  # numbers alone: personal data only
        if row not in cued:
            out[row] = personal_data(normalized[row], address=False)
    if compact is not None and compact.patterns:
        keep = ~_SEPARATORS[np.minimum(codes, 0xFFFF)]
        keep |= codes > 0xFFFF  # astral code points (emoji) are never separators
        if not keep.all():
            squeezed = codes[keep].tobytes().decode("utf-32-le", "surrogatepass")
            kept = squeezed.split("\x00")
            c_ends = _row_index(np.fromiter(map(len, kept), np.int64, count=len(kept)))
            # Only rows that lost a separator can hold a term the plain scan missed.
            row_of = np.searchsorted(ends, np.flatnonzero(~keep), side="right")
            spaced = set(np.unique(row_of).tolist())
            for row in rows_hit(compact.automaton, squeezed, c_ends):
                if row not in spaced:
                    continue
                for pid, _, _ in compact.automaton.find_matches_as_indexes(kept[row]):
                    term = compact.patterns[pid]
                    tag = compact.tag(term)
                    if term not in normalized[row] and tag not in out[row]:
                        out[row].append(tag)
    return out
