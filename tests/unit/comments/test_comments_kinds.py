"""Sensitive kinds beyond the term list (issue 14, second pass): one test group per kind,
each with its written variants and the look-alikes that must stay unflagged."""

from __future__ import annotations

import pytest

from liveroom.comments.abuse import risk_kind
from liveroom.comments.normalize import normalize, normalize_many
from liveroom.comments.pipeline import CommentAnalyzer
from liveroom.comments.risk import RiskLexicon


def _kinds(text: str) -> list[str]:
    return [t.split(":", 1)[0] for t in RiskLexicon().find(normalize(text))]


@pytest.mark.parametrize(
    "text",
    ["加我微信 买同款便宜", "加 V 私聊", "vx: shop8899", "+v 看更多", "加威信拿货价", "私我便宜",
     "去某宝搜同款", "拼夕夕才一半价", "链接发我 我转账", "add me on whatsapp", "dm me for deals",
     "加 微 信 送资料"],
)
def test_diversion_off_the_platform_is_flagged_in_its_written_variants(text: str) -> None:
    assert "divert" in _kinds(text)


@pytest.mark.parametrize(
    "text", ["兼职刷单 日赚300", "专业代购 欧洲直邮", "互粉互关", "www.cheapbag.cn 一折",
             "http://t.cn/abc 领券", "兼 职 日结", "earn money from home, check my profile"],
)
def test_spam_and_adverts_are_flagged(text: str) -> None:
    assert "spam" in _kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("我电话13812345678 改地址", "pii"), ("电话139 1234 5678", "pii"),
     ("身份证110101199003071234", "pii"), ("寄到建国路88号3栋2单元", "pii")],
)
def test_personal_data_in_a_comment_is_flagged(text: str, kind: str) -> None:
    assert kind in _kinds(text)


def test_an_order_number_is_not_personal_data() -> None:
    assert _kinds("订单号110101199003071234 退款没到") == []


@pytest.mark.parametrize(
    "text", ["是不是全网最低价?", "敢说全网最便宜吗", "主播保证是最低价吗", "敢不敢说是销量第一",
             "is this the cheapest anywhere?"],
)
def test_extreme_claim_bait_is_flagged(text: str) -> None:
    assert "bait" in _kinds(text)


@pytest.mark.parametrize("text", ["约炮吗", "主播胸真大", "send nudes", "法轮功好", "裸 聊"])
def test_sexual_and_political_content_is_flagged(text: str) -> None:
    assert "vulgar" in _kinds(text)


@pytest.mark.parametrize(
    ("text", "term"),
    [("傻 逼主播", "傻逼"), ("骗.子 店铺", "骗子"), ("脑 残", "脑残"), ("废*物", "废物")],
)
def test_listed_terms_with_separators_between_characters_are_found(text: str, term: str) -> None:
    assert term in RiskLexicon().find(normalize(text))


@pytest.mark.parametrize(
    "text",
    ["有粉丝群吗 怎么进", "能开发票吗", "有品牌授权书吗", "太贵了吧", "又涨价了 上周才59",
     "哪个最便宜", "第一次买", "参加vip活动", "比京东便宜吗", "add me one", "工商银行卡能付吗",
     "胸大的能穿吗", "订单尾号3321", "3号链接 粉色M", "在外面吃饭 偷偷看",
     "the price went up again"],
)
def test_look_alikes_stay_unflagged(text: str) -> None:
    assert RiskLexicon().find(normalize(text)) == []


@pytest.mark.parametrize(
    ("text", "fraud_or_threat"),
    [("黑店 收了钱不发货", "黑店"), ("奸商", "奸商"), ("就是割韭菜的", "割韭菜的"),
     ("差评警告 客服不回", "差评警告"), ("已经向工商举报了", "工商"), ("去网上曝光", "曝光")],
)
def test_fraud_accusations_and_threats_are_risk_terms(text: str, fraud_or_threat: str) -> None:
    terms = RiskLexicon().find(normalize(text))
    assert fraud_or_threat in terms and risk_kind(terms) == "risk"


def test_batch_and_single_comment_scans_agree() -> None:
    texts = ["加我微信", "", "傻 逼", "13812345678", "普通评论", "是不是全网最低", ""]
    lexicon = RiskLexicon()
    assert lexicon.find_many(normalize_many(texts)) == [lexicon.find(normalize(t)) for t in texts]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("加我微信 买同款便宜一半", "chitchat"), ("约炮吗 美女", "chitchat"),
     ("是不是全网最低价?", "price_question"), ("滚吧 骗子直播间", "complaint")],
)
def test_kinds_set_the_intent_they_carry(analyzer: CommentAnalyzer, text: str,
                                         intent: str) -> None:
    result = analyzer.analyze(text)
    assert result.sensitive and result.intent == intent


def test_a_diversion_is_spam_and_never_a_purchase(analyzer: CommentAnalyzer) -> None:
    result = analyzer.analyze("想要的加我vx 便宜")
    assert result.spam and not result.purchase_intent
