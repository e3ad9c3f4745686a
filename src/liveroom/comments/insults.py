"""Insults written around a filter: one scan of the batch for *roots* of abuse in all their
spellings, gated by who the word is aimed at (issue 14, fourth pass).

A listed term catches the spelling it lists; viewers write the same insult many ways. Three
general mechanisms replace lists of spellings:

1. **Homophone folding.** Every character that people substitute for a root character is
   folded onto it with one lookup table (煞/沙 → 傻, 比/笔/币/批 → 逼, 制 → 智, 杖/帐 → 障,
   蛇/深 → 神, 精/井 → 经, 冰 → 病, 辣 → 垃, 鸡 → 圾 …), so 煞笔, 沙比, 制杖, 蛇精病, 深井冰 and
   辣鸡 are all their root.
2. **Pinyin and initials.** Each root char may also be written as its pinyin syllable or its
   initial, alone or mixed (shabi, sha bi, 傻b, 智zhang, sjb, n m s l). Latin spellings must
   start and end on a word boundary of the *original* text, so "usb" is not "sb".
3. **Separators.** The scan runs on the batch with spaces and the marks people put between
   characters removed ("傻 逼", "s.b", "智-障").

Roots come in two strengths. A *strong* root (傻逼, 智障, 脑残, 神经病, 弱智 …) is an insult
wherever it appears. A *targeted* root (垃圾, 有病, 滚, 蠢, 丑, 没脑子 …) is also everyday talk
about goods ("垃圾袋", "这衣服好丑" is a complaint, not abuse), so it counts only when a
target — the host, the shop, support, the platform, another viewer, "you" — stands right
before it or just after it ("主播是不是有病", "垃圾客服", "楼上的滚"), or when it is nearly
the whole comment ("滚!"). Product words that contain a root ("垃圾桶", "辣鸡翅", "滚筒",
"蠢蠢欲动", "去死皮", "废物利用") are *safe* patterns in the same leftmost-longest automaton
and swallow the root.

Cost: one table gather and one Aho-Corasick scan of the compacted batch; Python runs only
for the rows the automaton hits.
"""

from __future__ import annotations

from itertools import product

import ahocorasick_rs
import numpy as np

ABUSE_PREFIX = "abuse:"

# Root, its pinyin syllables, flags: "i" = the initials alone are a known form (sb, zz, nc),
# "t" = targeted root, "s" = alone in a short comment it is aimed at whoever reads it ("滚!"),
# "l" = no Latin spellings (the syllables are common English or pinyin).
_ROOTS = """
傻逼 sha,bi i
智障 zhi,zhang i
脑残 nao,can i
脑瘫 nao,tan i
神经病 shen,jing,bing i
弱智 ruo,zhi i
废物 fei,wu i
你妈死了 ni,ma,si,le i
草泥马 cao,ni,ma i
他妈的 ta,ma,de i
你妈逼 ni,ma,bi i
妈卖批 ma,mai,pi i
白痴 bai,chi -
傻叉 sha,cha -
傻缺 sha,que -
蠢货 chun,huo -
蠢猪 chun,zhu -
憨批 han,pi -
人渣 ren,zha -
畜生 chu,sheng -
贱人 jian,ren -
狗东西 gou,dong,xi -
低能 di,neng t
垃圾 la,ji t
傻子 sha,zi ts
笨蛋 ben,dan ts
滚 gun ts
有病 you,bing tsl
没脑子 mei,nao,zi tsl
没长脑子 mei,zhang,nao,zi tsl
长脑子 zhang,nao,zi tsl
脑子呢 nao,zi,ne tsl
脑子坏 nao,zi,huai tsl
脑子有问题 nao,zi,you,wen,ti tsl
不要脸 bu,yao,lian tsl
去死 qu,si tsl
蠢 chun tsl
贱 jian tsl
丑 chou tl
瞎了 xia,le tl
眼瞎 yan,xia tl
聋了 long,le tl
恶心 e,xin tl
死了吗 si,le,ma tl
猪脑 zhu,nao tl
是猪 shi,zhu tl
是狗 shi,gou tl
"""

# Characters written for a root character (homophones and look-alikes).
_FOLD = {
    "傻": "煞沙儍莎", "逼": "比笔币批哔毕屄碧鼻", "智": "制质志治", "障": "杖帐仗账章张",
    "脑": "恼", "残": "惨蚕灿", "瘫": "摊滩痰", "神": "蛇深身", "经": "精井金京",
    "病": "冰饼兵并", "弱": "若", "废": "费肺吠", "物": "勿务", "垃": "辣拉啦",
    "圾": "鸡基", "货": "伙",
}

# Everyday words that contain a (folded) root, and negated or A-not-A forms ("丑不丑",
# "穿着不丑"): matched by the same automaton, they win.
_SAFE = """
垃圾袋 垃圾桶 垃圾分类 垃圾篓 垃圾箱 垃圾处理 垃圾站 垃圾车 垃圾食品 垃圾短信 垃圾邮件 垃圾筐
垃圾翅 垃圾爪 垃圾腿 垃圾肉 垃圾块 垃圾丁 垃圾排 垃圾柳 垃圾米 垃圾胸 垃圾脖 垃圾架 垃圾汤
垃圾面 垃圾粉 垃圾酱 垃圾味 垃圾蛋 垃圾精 拖垃圾 废物利用 废物回收 废物处理 废物箱 滚筒 滚轮
滚动 滚珠 滚烫 滚边 滚床 滚梯 滚刷 滚雪球 滚圆 滚瓜 滚石 滚落 滚针 滚花 滚滚 滚水 滚压 蠢蠢欲动
去死皮 去死角 去死细胞 丑橘 丑柑 丑萌 丑小鸭 聋哑 聋人 有病菌 有病毒 有病虫 病虫害 有病能
有病的话 是猪肉 是猪蹄 是猪皮 是猪油 是猪骨 是猪肝 是狗粮 是狗狗 是狗绳 是狗窝 是狗用 猪脑花
傻子瓜子 低能耗 低能量 贱卖 贱价
不丑 丑不丑 丑吗 显丑 不蠢 蠢萌 蠢不蠢 不贱 不恶心 恶心不 不垃圾 不瞎 不聋
"""
# Who an insult is aimed at: right before the root (up to 3 characters between: "是不是"),
# or right after it ("垃圾客服", "傻逼平台").
_TARGETS = """
你 您 主播 主包 zb 播主 博主 客服 店家 商家 卖家 老板 店主 小编 楼上 楼下 平台 系统 这店
这家店 你家 这人 这货 运营 助理 场控 官方 技术 直播间 网络 host seller you
"""
TARGETS: tuple[str, ...] = tuple(_TARGETS.split())
_BEFORE, _AFTER = 3, 1  # characters allowed between a target and a targeted root
_SHORT = 3  # an "s" root is the comment itself when at most this many characters remain
_SEPARATORS = " .,*-_~/|\\!?'\"`^+=#·•、。,.·:;()[]<>"


def _fold_table() -> np.ndarray:
    table = np.arange(0x10000, dtype=np.uint32)
    for root, variants in _FOLD.items():
        table[[ord(c) for c in variants]] = ord(root)
    return table


FOLD = _fold_table()
SEPARATOR = np.zeros(0x10000, dtype=bool)
SEPARATOR[[ord(c) for c in _SEPARATORS]] = True


def fold(text: str) -> str:
    """A string with every substitute character replaced by its root character."""
    return "".join(chr(FOLD[ord(c)]) if ord(c) < 0x10000 else c for c in text)


def _spellings(root: str, syllables: list[str], flags: str) -> set[str]:
    """Every spelling of a root: per character the character, its syllable or its initial."""
    if "l" in flags:
        return {root}
    options = [(c, s, s[0]) if len(root) > 1 else (c, s) for c, s in zip(root, syllables,
                                                                         strict=True)]
    out = {"".join(parts) for parts in product(*options)}
    initials = "".join(s[0] for s in syllables)
    if "i" not in flags:
        out.discard(initials)
    # a Latin spelling needs more than initials mixed with one letter ("sb", "s逼" are fine
    # for roots with "i"; "lj" would be 链接)
    return {s for s in out if not (s.isascii() and len(s) <= 2 and "i" not in flags)}


class InsultScanner:
    """Finds abuse roots in a batch; see the module docstring."""

    def __init__(self) -> None:
        self._root_of: dict[str, str | None] = {}
        self._targeted: set[str] = set()
        self._alone: set[str] = set()
        for line in _ROOTS.split("\n"):
            if not line.strip():
                continue
            root, syllables, flags = line.split()
            for spelling in _spellings(root, syllables.split(","), flags):
                self._root_of[fold(spelling)] = root
            if "t" in flags:
                self._targeted.add(root)
            if "s" in flags:
                self._alone.add(root)
        for word in _SAFE.split():
            self._root_of.setdefault(fold(word), None)
        self.patterns = sorted(self._root_of)
        self._roots = [self._root_of[p] or "" for p in self.patterns]
        self._is_root = np.array([bool(r) for r in self._roots])
        self._latin_edge = [_latin(p[0]) or _latin(p[-1]) for p in self.patterns]
        self.automaton = ahocorasick_rs.AhoCorasick(
            self.patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        self._targets = tuple(fold(t) for t in TARGETS)

    def scan_texts(self, normalized: list[str]) -> dict[int, list[str]]:
        """``abuse:<root>`` tags per row of a batch of normalised comments (rows without
        any are left out)."""
        if not normalized:
            return {}
        joined = "\x00".join(normalized)
        return self.scan(np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32))

    def scan(self, codes: np.ndarray) -> dict[int, list[str]]:
        """The same for a NUL-joined batch given as UTF-32 ``codes``."""
        out: dict[int, list[str]] = {}
        for row, root, _, _ in self.hits(codes):
            tags = out.setdefault(row, [])
            if ABUSE_PREFIX + root not in tags:
                tags.append(ABUSE_PREFIX + root)
        return out

    def hits(self, codes: np.ndarray) -> list[tuple[int, str, int, int]]:
        """(row, root, start, end) of every insult of a NUL-joined batch of UTF-32 codes;
        start/end are offsets in the row's original text."""
        bmp = codes < 0x10000
        small = np.minimum(codes, 0xFFFF)
        keep = ~(SEPARATOR[small] & bmp)
        where = np.flatnonzero(keep)  # original position of every compact character
        folded = np.where(bmp, FOLD[small], codes)[keep]
        text = folded.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        found = self.automaton.find_matches_as_indexes(text)
        if not found:
            return []
        m = np.asarray(found, dtype=np.int64)
        m = m[self._is_root[m[:, 0]]]  # safe words matched only to swallow a root
        if not len(m):
            return []
        row_ends = np.flatnonzero(folded == 0)  # NUL separators survive compaction
        bounds = np.concatenate(([-1], row_ends, [len(folded)]))
        rows = np.searchsorted(row_ends, m[:, 1])
        firsts = bounds[rows] + 1
        # the row's first character in the original codes (the one after its NUL)
        offsets = np.where(firsts > 0, where[np.maximum(firsts - 1, 0)] + 1, 0)
        out: list[tuple[int, str, int, int]] = []
        for (pid, start, end), row, first, last, offset in zip(
            m.tolist(), rows.tolist(), firsts.tolist(), (bounds[rows + 1]).tolist(),
            offsets.tolist(), strict=True,
        ):
            root = self._roots[pid]
            if self._latin_edge[pid] and not self._latin_bounded(codes, where, start, end, text):
                continue
            if root in self._targeted and not (
                (root in self._alone and (last - first) - (end - start) <= _SHORT)
                or self._aimed(text, start, end, first)
            ):
                continue
            out.append((row, root, int(where[start]) - offset, int(where[end - 1]) + 1 - offset))
        return out

    @staticmethod
    def _latin_bounded(
        codes: np.ndarray, where: np.ndarray, start: int, end: int, text: str
    ) -> bool:
        """A spelling that starts (ends) with a Latin letter must not continue a word of the
        original text: "sb" in "s.b" or "sb主播", not in "usb"."""
        if _latin(text[start]):
            at = int(where[start])
            if at > 0 and _latin_code(int(codes[at - 1])):
                return False
        if _latin(text[end - 1]):
            at = int(where[end - 1])
            if at + 1 < len(codes) and _latin_code(int(codes[at + 1])):
                return False
        return True

    def _aimed(self, text: str, start: int, end: int, first: int) -> bool:
        """A target ends at most _BEFORE characters before the root or starts at most
        _AFTER characters after it (NUL ends the row, so no target is read across rows)."""
        before = text[max(first, start - _BEFORE - 4) : start]
        after = text[end : end + _AFTER + 4].split("\x00", 1)[0]
        for target in self._targets:
            at = before.rfind(target)
            if at >= 0 and len(before) - at - len(target) <= _BEFORE:
                return True
            if 0 <= after.find(target) <= _AFTER:
                return True
        return False


def _latin(char: str) -> bool:
    return "a" <= char <= "z" or "0" <= char <= "9"


def _latin_code(code: int) -> bool:
    return 97 <= code <= 122 or 48 <= code <= 57
