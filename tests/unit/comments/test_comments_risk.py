from __future__ import annotations

import pytest

from liveroom.comments.normalize import normalize
from liveroom.comments.risk import RiskLexicon


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("卖假货的骗子", ["卖假货", "骗子"]),
        ("我要投诉", ["投诉"]),
        ("你们是骗子吗", ["骗子"]),  # hard term: an accusation even as a question
        ("打315", ["315"]),
        ("退钱！", ["退钱"]),
        ("this is a SCAM", ["scam"]),
        ("fake!!", ["fake"]),
    ],
)
def test_asserted_risk_terms_are_found(text: str, terms: list[str]) -> None:
    assert RiskLexicon().find(normalize(text)) == terms


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("不是假货吧？正品吗", "假货吧"),
        ("这是假货吗", "假货吗"),
        ("会不会是高仿", "会不会是高仿"),
        ("is it fake?", "is it fake"),
        ("这真是原厂的吗", "真是原厂"),
        ("看着不像正品啊", "不像正品"),
        ("这是原装的吗？？", "原装的吗??"),
    ],
)
def test_doubts_are_flagged_as_doubts_not_accusations(text: str, doubt: str) -> None:
    assert RiskLexicon().find(normalize(text)) == [f"doubt:{doubt}"]


@pytest.mark.parametrize(
    ("text", "term"),
    [("你就是个废物", "废物"), ("主播智障吧", "智障"), ("nmsl", "nmsl"), ("煞笔商家", "煞笔"),
     ("what an idiot", "idiot")],
)
def test_insults_and_their_variants_are_found(text: str, term: str) -> None:
    assert RiskLexicon().find(normalize(text)) == [term]


@pytest.mark.parametrize(
    "text",
    [
        "是正品吗",
        "有防伪码吗",
        "神经酰胺面霜",
        "滚筒洗衣机能洗吗",
        "放假吗",
        "感觉被割韭菜了",
        "能退钱吗",
        "假一赔十",
        "315ml的大瓶",
        "315元包邮",
        "fakeout",
    ],
)
def test_doubt_safe_phrases_and_units_are_not_flagged(text: str) -> None:
    assert RiskLexicon().find(normalize(text)) == []


def test_operator_can_add_and_remove_terms_at_run_time() -> None:
    # given the default lexicon
    lexicon = RiskLexicon()
    before = lexicon.version
    # when an operator adds a term and removes another
    lexicon.add("智商税产品")
    lexicon.remove("投诉")
    # then the automaton is rebuilt with the edit
    assert lexicon.find(normalize("纯纯智商税产品")) == ["智商税产品"]
    assert lexicon.find(normalize("我要投诉")) == []
    assert lexicon.version == before + 2


def test_batch_find_matches_single_find() -> None:
    lexicon = RiskLexicon()
    texts = [normalize(t) for t in ["hi", "骗子", "ok", "假货", "这是假货吗"]]
    assert lexicon.find_many(texts) == [lexicon.find(t) for t in texts]


def test_empty_lexicon_finds_nothing() -> None:
    assert RiskLexicon(terms=()).find_many(["骗子"]) == [[]]
