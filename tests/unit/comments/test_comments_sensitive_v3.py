"""Sensitive kinds and intents of issue 14's third pass: forms the first hold-out showed
missing (abuse variants, fraud accusations without the stock words, doubts about the
original, paying off the platform, other live rooms, fake invoices, medical claim bait,
sexual/political talk), the look-alikes that must stay clean, and the rule that a diversion
riding on an ask keeps the ask."""

from __future__ import annotations

import pytest

from liveroom.comments.abuse import risk_kind
from liveroom.comments.normalize import normalize
from liveroom.comments.pipeline import CommentAnalyzer
from liveroom.comments.risk import RiskLexicon


def _terms(text: str) -> list[str]:
    return RiskLexicon().find(normalize(text))


@pytest.mark.parametrize(
    "text",
    ["你妈的 链接呢", "主播跟楼上一样蠢", "你们这群韭菜", "s b 商家", "伞兵主播", "大聪明 又说错价",
     "有大病吧 一直喊", "铸币客服"],
)
def test_abuse_variants_are_an_abuse_alert(text: str) -> None:
    terms = _terms(text)
    assert terms and risk_kind(terms) == "abuse"


@pytest.mark.parametrize(
    "text",
    ["你们就是专骗老人钱", "评论区都是水军吧", "好评全是刷的", "this is a knock-off",
     "说是真皮 骗谁呢", "再不退款我去派出所"],
)
def test_fraud_accusations_without_stock_words_are_risk(text: str) -> None:
    terms = _terms(text)
    assert terms and risk_kind(terms) == "risk"


@pytest.mark.parametrize(
    "text",
    ["这是原厂的吗？", "logo跟专柜的不一样 是真的吗", "不会拿腈纶冒充吧", "这个价能是真货？",
     "你家耳机是华强北的吧"],
)
def test_doubts_about_the_original_are_doubts(text: str) -> None:
    terms = _terms(text)
    assert any(t.startswith("doubt:") for t in terms) and risk_kind(terms) == "doubt"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("微信转账能便宜多少", "divert"), ("给个收款码 我直接转你", "divert"),
     ("要买的扫我头像二维码", "divert"), ("隔壁直播间在送手机 快去", "divert"),
     ("来看看我的店 比这家便宜", "divert"), ("加你微信能给个内部价不", "divert"),
     ("咸鱼上有同款", "divert"), ("代开发票 联系我", "spam"), ("能开个假发票吗", "spam"),
     ("能根治痘痘吗", "bait"), ("吃了能不吃药吗 保证一个月瘦十斤吗", "bait"),
     ("比别家还便宜吗 敢说吗", "bait"), ("美女 约吗", "vulgar"), ("晚上一起睡吗", "vulgar"),
     ("聊聊政府那些破事", "vulgar"), ("领导人的新闻看了吗", "vulgar")],
)
def test_new_pattern_kinds_are_flagged(text: str, kind: str) -> None:
    assert kind in [t.split(":", 1)[0] for t in _terms(text)]


@pytest.mark.parametrize(
    "text",
    ["直播间价格和店铺一样吗", "旗舰店有同款吗", "这个价包邮吗", "有原装充电器吗", "是镀金的吗",
     "政府补贴能用吗", "什么时候退钱", "315晚会你们看了吗", "will it be cheaper on 11.11?",
     "这个扫地机是原装的吗", "店铺券能叠加吗", "purple有吗", "不同颜色价格一样吗", "保证正品吗"],
)
def test_third_pass_look_alikes_stay_clean(text: str) -> None:
    assert _terms(text) == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [("要三件 加我微信", "purchase_intent"), ("加v给个私人价行吗", "price_question"),
     ("什么时候发货 电话13912345678", "logistics_question"),
     ("兼职刷单 日入500 私信我", "chitchat"), ("加我微信 看更多优惠 wx123456", "chitchat")],
)
def test_a_diversion_keeps_the_main_ask_and_an_advert_is_small_talk(
    analyzer: CommentAnalyzer, text: str, intent: str
) -> None:
    result = analyzer.analyze(text)
    assert result.sensitive and result.intent == intent
