"""Issue 14, fourth pass: insults written around a filter (homophones, pinyin, initials,
separators) found by root and target, hedged doubts by window, and the look-alikes that
must stay clean."""

from __future__ import annotations

import pytest

from liveroom.comments.abuse import risk_kind
from liveroom.comments.normalize import normalize
from liveroom.comments.risk import RiskLexicon


def _terms(text: str) -> list[str]:
    return RiskLexicon().find(normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "沙笔主播", "煞币客服", "zhi zhang 客服", "S-B", "n.m.s.l", "shen jing bing 吧",
        "蛇经病", "脑惨店家", "辣鸡客服", "若智主播", "费物一个", "客服死了吗", "主播瞎了吗",
        "你是猪吗", "楼上 给我 滚", "主播 就是个 笨蛋", "你们脑子有问题吧", "傻c平台",
    ],
)
def test_insult_spellings_are_abuse(text: str) -> None:
    terms = _terms(text)
    assert terms and risk_kind(terms) == "abuse", terms


@pytest.mark.parametrize(
    "text",
    [
        "usb接口几个", "垃圾袋加厚吗", "主播 辣鸡翅好吃吗", "滚筒刷好用吗", "蠢蠢欲动了",
        "去死皮的效果怎样", "丑橘甜不甜", "神经酰胺含量多少", "主播这个比较好吗", "沙发多宽",
        "拖拉机玩具几岁能玩", "有病菌吗", "笔记本能装下吗", "这台低能耗吗", "主播 是猪肉的吗",
        "这衣服好丑", "这个味道有点恶心", "太贵了 不值", "主播讲得真好 比心",
    ],
)
def test_look_alikes_stay_clean(text: str) -> None:
    assert _terms(text) == []


@pytest.mark.parametrize(
    "text", ["莫非是高仿", "有可能是一比一的吧", "这个价 能是原装吗", "不会又是工厂货吧"]
)
def test_hedged_doubts_are_doubts(text: str) -> None:
    terms = _terms(text)
    assert terms and risk_kind(terms) == "doubt", terms


def test_a_not_a_question_about_fraud_is_an_accusation() -> None:
    assert "骗子" in _terms("你们是不是骗子")
    assert _terms("我们不是骗子") == []


@pytest.fixture(scope="module")
def analyzer():  # noqa: ANN201
    from liveroom.comments.pipeline import CommentAnalyzer

    return CommentAnalyzer(use_encoder=False)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("到底哪天发货 客服是智障吗", "logistics_question"),
        ("退货申请一周了 再不处理我就去12315投诉", "aftersales"),
        ("煞笔主播", "complaint"),
        ("你们就是一群骗子", "complaint"),
        ("楼上 nmsl", "chitchat"),
    ],
)
def test_the_ask_is_read_without_its_insults(analyzer, text: str, intent: str) -> None:  # noqa: ANN001
    result = analyzer.analyze(text)
    assert result.sensitive and result.intent == intent, (result.intent, result.risk_terms)


@pytest.mark.parametrize("text", ["你看这个丑不丑", "这个颜色你穿不丑", "你家蠢萌的那个玩偶"])
def test_negated_and_a_not_a_forms_of_a_targeted_root_are_clean(text: str) -> None:
    assert _terms(text) == []
