"""Traffic sources (流量来源): natural, paid and private channels, and UTM tagging."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode


class ChannelGroup(StrEnum):
    NATURAL = "natural"  # 自然流量
    PAID = "paid"  # 付费流量
    PRIVATE = "private"  # 私域流量


@dataclass(frozen=True)
class Channel:
    name: str
    group: ChannelGroup
    zh: str
    utm_source: str
    utm_medium: str


CHANNELS: dict[str, Channel] = {c.name: c for c in (
    Channel("recommendation", ChannelGroup.NATURAL, "推荐流", "platform", "recommendation"),
    Channel("followers", ChannelGroup.NATURAL, "关注页", "platform", "followers"),
    Channel("feed_ads", ChannelGroup.PAID, "信息流广告", "feed_ads", "cpc"),
    Channel("kol", ChannelGroup.PAID, "达人推广", "kol", "influencer"),
    Channel("community", ChannelGroup.PRIVATE, "社群", "community", "group"),
    Channel("sms", ChannelGroup.PRIVATE, "短信", "sms", "sms"),
    Channel("official_account", ChannelGroup.PRIVATE, "公众号", "official_account", "article"),
    Channel("wecom", ChannelGroup.PRIVATE, "企业微信", "wecom", "private_message"),
    Channel("other", ChannelGroup.NATURAL, "其他", "other", "other"),
)}
_BY_SOURCE = {c.utm_source: c.name for c in CHANNELS.values() if c.utm_source != "platform"}


def channel_for_utm(utm_source: str) -> str:
    """The channel a bare utm_source stands for ('' when none is given)."""
    if not utm_source:
        return ""
    return _BY_SOURCE.get(utm_source, "other")


def utm_for(channel: str, campaign: str, content: str = "") -> dict[str, str]:
    """UTM parameters of a tracked link; `content` tells KOCs and placements apart."""
    c = CHANNELS[channel]
    utm = {"utm_source": c.utm_source, "utm_medium": c.utm_medium, "utm_campaign": campaign}
    if content:
        utm["utm_content"] = content
    return utm


def tagged_url(base: str, utm: dict[str, str], **extra: str) -> str:
    query = urlencode({**utm, **extra})
    return f"{base}{'&' if '?' in base else '?'}{query}"
