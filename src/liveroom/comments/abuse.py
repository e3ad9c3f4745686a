"""Abuse/insult terms and authenticity-doubt patterns: the two newer kinds of ``sensitive``.

*Abuse*: insults aimed at the host, the shop or other viewers (废物, 智障, 神经病 …) with their
written variants: homophones (制杖, 蛇精病, 煞笔), pinyin initials (fw, zz, sjb, nc, sb, nmsl),
English (idiot, moron, stfu …). Matched like the risk terms (ASCII ones on word boundaries);
words that are also product vocabulary are only listed in forms that cannot be product talk
("神经病" not "神经" — 神经酰胺 is a skin-care ingredient; "滚蛋" not "滚" — 滚筒;
"去死吧" not "去死" — 去死皮; no "妈的"/"你妈" — "给我妈的", "给你妈买").

*Authenticity doubt*: a viewer suspecting the goods are not genuine ("这真是原厂的吗",
"别是高仿吧", "看着不像正品", "is this really authentic?"). A neutral question ("是正品吗",
"有防伪码吗") is not a doubt; an assertion ("卖假货") is a plain risk term. Doubts are
flagged so the host answers them before they spread; they stay product questions.
"""

from __future__ import annotations

import re

from liveroom.comments.insults import ABUSE_PREFIX

_ABUSE_TEXT = """
废物 废物主播 智障 制杖 智zhang 神经病 神精病 蛇精病 发神经 有神经病 脑残 脑瘫 弱智 白痴 傻逼 傻b
傻比 傻批
傻x 傻叉 傻帽 傻缺 煞笔 沙比 沙壁 傻子 傻瓜主播 蠢货 蠢猪 蠢死 蠢蛋 猪脑子 猪头主播 脑子有病
脑子进水 脑子瓦特
你有病 有病吧 有病啊 有毛病吧 神经啊 贱人 犯贱 贱货 骚货 婊子 绿茶婊 人渣 畜生 杂种 混蛋 王八蛋
狗东西 狗主播
狗商家 狗店 垃圾主播 垃圾店 垃圾商家 垃圾直播间 丑八怪 二百五 去死吧 死开 滚蛋 滚吧 给我滚 快滚
滚出去 闭嘴
他妈的 tm的 尼玛 泥马 草泥马 操你 艹 卧槽你 狗日 不要脸的 low逼 憨批 憨憨主播 瓜娃子 龟儿子
fw zz sjb nc sb nt rz shabi feiwu naocan zhizhang shenjingbing nmsl nmd cnm wcnm rnm tmd
nmb mlgb 2b青年 脑子坏了 脑子被门夹了 傻冒 蠢材 智商堪忧
idiot idiots stupid moron morons dumb dumbass retard retarded loser losers bitch bastard
傻逼主播 sb主播 傻哔 傻币 儍逼 傻13 煞b 沙雕主播 二货 狗屎 狗屁主播 放屁 放狗屁 狗叫 恶心人
没脑子 脑子有坑 脑子有泡 废柴 辣鸡主播 lj主播 垃圾玩意 滚出直播间 丑逼 长得丑
死胖子 肥婆 死全家 全家死 你妈死了 死妈 没妈 婊 狗娘养 龟孙 孙子主播 脑袋有病 有病就去治
🐶主播 🐷主播 💩主播 🐶东西 🐍精病 sb吧 nmsl傻 你算什么东西 滚犊子 去你的 傻玩意
asshole fuck fucking fck fk stfu shut_up jerk scumbag trash_host
你妈的 一样蠢 真蠢 好蠢 太蠢 蠢死了 这群韭菜 韭菜们 一群韭菜 s_b s.b 傻x主播 zz主播 sb平台
脑子有病 破主播 sjb主播 垃圾平台 智障系统 神经病平台 废物技术
低智 二逼 傻屌 草你 操你妈 日你 妈卖批 mmp 煞比 沙币 铸币 伞兵 大聪明 小丑主播 主播是小丑 菜鸡主播
孬种 缺心眼 脑子呢 有大病 你脑子 神金 几把 鸡巴 sb玩意 闭嘴吧 舔狗 脑残粉 喷子 你是猪吗 猪一样
狗一样 像条狗 sha_bi 傻狗 死骗子 狗骗子 废狗 蠢驴 弱鸡 low货 贱骨头 臭傻 丑东西 没素质 滚远点
"""
# "_" stands for a space inside one term ("shut_up").
ABUSE_TERMS: tuple[str, ...] = tuple(term.replace("_", " ") for term in _ABUSE_TEXT.split())

# A doubt needs an authenticity word near a suspicion marker, or a "fake" word asked about.
_AUTH = r"(?:正品|原厂|原装|正版|真货|真品|行货|专柜|官方|官旗|品牌方|保真|真皮|授权|原单)"
_FAKE = (
    r"(?:假货|假的|高仿|仿品|仿的|仿货|精仿|仿款|仿制|a货|盗版|山寨|水货|翻新|复刻|冒牌|贴牌|二手|"
    r"三无|假冒|冒充|华强北|莆田|1:1|1比1|一比一|尾单|工厂货|镀的|pu(?![a-z]))"
)
_EITHER = rf"(?:{_AUTH}|{_FAKE})"
# Words that hedge what follows into a worry ("该不会是", "有没有可能"): a fake word after one
# is a doubt, not an accusation.
HEDGES: tuple[str, ...] = (
    "会不会", "该不会", "是不是", "别又是", "可别是", "别是", "不会是", "怕不是", "怕是", "莫不是",
    "莫非", "难道", "万一", "有没有可能", "有可能", "应该不是", "不会又是", "担心", "怀疑",
)
_DOUBT_PATTERNS = [
    # "别是高仿吧", "该不会是假的", "怕不是山寨", "会不会是a货"
    # (a hedge, then at most four characters: "该不会是莆田货吧", "有没有可能是仿的")
    rf"(?:{'|'.join(HEDGES)})[^\x00]{{0,4}}{_FAKE}",
    # "假的吧", "高仿吗", "是水货吗"
    rf"{_FAKE}(?:的)?(?:吧|吗|嘛|么|\?|啊\?)",
    # "真的是原厂的吗", "确定是正品?", "保证是正版吗", "这真是原装的"
    rf"(?:真的是|真是|确定是|确定|敢保证|能保证|到底是不是|究竟是不是|到底是){_AUTH}",
    # "这是原厂的吗??", "正品吗 🤔", "正品吗 怎么这么便宜"
    rf"{_AUTH}(?:的)?(?:吗|嘛|么)[^\n]*(?:\?\?|🤔|怀疑|不像|不信|这么便宜|便宜得|没底)",
    # "看着不像正品", "感觉不是原装", "不太像真的", "怎么看都像假的"
    rf"(?:不像|不太像|不大像|不是很像|看着像|像是|感觉像|怎么看都像|一看就是|感觉不是){_EITHER}",
    # "怀疑是假的", "不敢信是正品", "正品? 有点怀疑"
    rf"(?:怀疑|存疑|可疑|不放心|不敢信|不信|不太信)[^。!\n]{{0,6}}{_EITHER}",
    rf"{_EITHER}[^。!\n]{{0,8}}(?:怀疑|存疑|可疑|不放心|不敢信|不信|不太信)",
    r"\b(?:really|truly|actually|100%)\s+(?:authentic|genuine|original|real|legit)\b",
    r"\b(?:looks?|seems?|feels?)\s+(?:fake|counterfeit|like\s+a\s+(?:fake|knockoff|copy))\b",
    r"\b(?:doesn'?t|does\s+not|don'?t)\s+look\s+(?:real|authentic|genuine|original)\b",
    r"\b(?:is\s+(?:it|this|that)|are\s+(?:they|these))\s+(?:a\s+)?"
    r"(?:fake|knockoff|replica|counterfeit|copy)\b",
    r"\b(?:knockoff|knock-off|replica|dupe)\s*\?",
    r"\bnot\s+sure\s+(?:it'?s|this\s+is|they'?re)\s+(?:real|authentic|genuine|original)\b",
    r"\b(?:sus|suspicious)\b",
    # issue 14, third pass: asking whether it is the *original* ("这是原厂的吗？"), a detail
    # that differs from the genuine one, or "can it be real at this price"
    r"(?:是|这是|这个是)原厂(?:的)?(?:吗|嘛|么)",
    rf"不一样[^\x00]{{0,8}}(?:是真的吗|正品吗|真的假的|{_AUTH})",
    rf"能是真(?:货|的|品)|怎么可能是真|(?:能是|会是|可能是){_AUTH}",
    # a price too low to believe: "这么便宜 能是正品？", "这个价 是原装的吗"
    rf"(?:这么便宜|这个价|这价|便宜成这样|价格这么低)[^\x00]{{0,6}}{_EITHER}",
    r"\b(?:knock-?off|fake)\b[^\x00]{0,12}\b(?:don'?t\s+buy|avoid)\b",
]
_DOUBT = re.compile("|".join(f"(?:{p})" for p in _DOUBT_PATTERNS))
# Cheap pre-filter: a comment without any of these cannot be a doubt.
_DOUBT_CUE_TEXT = """
正品 原厂 原装 正版 真货 真品 行货 专柜 官方 官旗 品牌方 保真 真皮 授权 原单 假货 假的
高仿 仿品 仿的 a货
盗版 山寨 水货 翻新 复刻 冒牌 贴牌 二手 三无 假冒 authentic genuine original real legit fake
counterfeit knockoff knock-off replica dupe copy sus suspicious 冒充 华强北 镀的 是pu 不一样
能是真 可能是真 莆田 仿 1:1 1比1 一比一 尾单 工厂货 能是 会是
"""
DOUBT_CUES: tuple[str, ...] = tuple(_DOUBT_CUE_TEXT.split())
# Safe forms: reassurance, not doubt ("假一赔十", "不是假货 放心", "real leather").
_SAFE = re.compile(
    r"假一赔|不是假的\s*放心|绝对正品|保证正品|正品保障|官方旗舰|"
    r"real\s+leather|real\s+quick|for\s+real|real\s+life"
)


def doubt_phrase(normalized: str) -> str | None:
    """The doubting phrase of a comment ("别是高仿吧"), or None."""
    cleaned = _SAFE.sub(" ", normalized)
    match = _DOUBT.search(cleaned)
    return match.group(0).strip() if match else None


DOUBT_PREFIX = "doubt:"


def risk_kind(terms: list[str] | tuple[str, ...]) -> str:
    """The alert kind of a sensitive comment: 'risk' if any accusation/threat term is
    asserted (the most serious), else 'abuse' for insults, else 'doubt'."""
    abuse = [is_abuse(t) for t in terms]
    if any(not a and not t.startswith(DOUBT_PREFIX) for t, a in zip(terms, abuse, strict=True)):
        return "risk"
    if any(abuse):
        return "abuse"
    return "doubt"


ABUSE_SET = frozenset(ABUSE_TERMS)


def is_abuse(term: str) -> bool:
    """A listed insult or an insult root found by :mod:`liveroom.comments.insults`."""
    return term in ABUSE_SET or term.startswith(ABUSE_PREFIX)
