"""Comment keywords for the review: what viewers kept saying about the goods, and the
phrases the supply side (采购/商家) should hear about, e.g. "尺码偏小" for an apron."""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from typing import Any

import jieba

# Aspect → phrases that report a problem with the goods themselves (supply-side feedback).
SUPPLY_ASPECTS: dict[str, tuple[str, ...]] = {
    "尺码偏小": ("尺码偏小", "偏小", "码偏小", "小了一码", "太小", "买小了", "runs small"),
    "尺码偏大": ("尺码偏大", "偏大", "码偏大", "大了一码", "太大", "runs large"),
    "包装破损": ("包装破损", "包装坏", "盒子破", "压坏", "破损", "漏了", "漏液", "damaged"),
    "色差": ("色差", "颜色不一样", "和图片不一样", "颜色不对"),
    "质量问题": ("起球", "掉色", "开线", "断了", "质量差", "做工差", "有异味", "异味", "坏了",
                 "broken", "poor quality"),
    "发货慢": ("发货慢", "还没发货", "物流慢", "没收到", "还没到", "slow shipping"),
    "少发漏发": ("少发", "漏发", "缺件", "少了一个", "missing item"),
    "与描述不符": ("货不对板", "与描述不符", "不是直播间那款", "not as described"),
}
FEEDBACK_INTENTS = {"product_question", "aftersales", "complaint", "logistics_question"}
STOP = set("的了吗呢吧啊呀哦嘛么是在有也都就还要我你他她它这那个一不和与跟给为".strip()) | {
    "主播", "宝宝", "家人们", "姐妹", "请问", "什么", "怎么", "可以", "没有", "一下", "这个",
    "那个", "现在", "今天", "还是", "就是", "直播间", "链接"}
jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not the user's concern
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z]+$")


def supply_feedback(facts: list[dict[str, Any]], names: dict[str, str],
                    ) -> list[dict[str, Any]]:
    """How many distinct viewers raised each supply aspect, per product where known."""
    seen: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    samples: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for f in facts:
        text = f["text"].lower()
        for aspect, phrases in SUPPLY_ASPECTS.items():
            if any(p in text for p in phrases):
                key = (aspect, f.get("sku_id"))
                seen[key].add(f.get("buyer_id") or f["text"])
                if len(samples[key]) < 3:
                    samples[key].append(f["text"])
    ranked = sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))
    return [{"aspect": a, "sku_id": sku, "product": names.get(sku or "", ""),
             "viewers": len(who), "samples": samples[(a, sku)]}
            for (a, sku), who in ranked]


def top_phrases(facts: list[dict[str, Any]], limit: int = 15,
                cap: int = 20_000) -> list[dict[str, Any]]:
    """Two-word phrases most viewers used in questions and complaints (distinct viewers)."""
    who: dict[str, set[str]] = defaultdict(set)
    intents: dict[str, Counter[str]] = defaultdict(Counter)
    for f in [f for f in facts if f.get("intent") in FEEDBACK_INTENTS][:cap]:
        words = [w for w in jieba.lcut(f["text"]) if _WORD.match(w) and w not in STOP]
        for a, b in zip(words, words[1:], strict=False):
            phrase = a + b
            if 2 < len(phrase) <= 8:
                who[phrase].add(f.get("buyer_id") or f["text"])
                intents[phrase][f["intent"]] += 1
    ranked = sorted(who.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]
    return [{"phrase": p, "viewers": len(b), "intent": intents[p].most_common(1)[0][0]}
            for p, b in ranked if len(b) > 1]
