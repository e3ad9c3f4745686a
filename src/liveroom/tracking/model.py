"""The tracking event schema (埋点): one typed, versioned record for everything a viewer
does, and the rules that accept or reject a raw event. Plain Python: the ingest route,
the Redis consumer and the simulator all share these rules."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from liveroom.tracking.channels import CHANNELS, channel_for_utm

SCHEMA_VERSION = 1
SERVER_SOURCE = "server"  # props.source of facts the server records itself; clients may not
SUPPORTED_VERSIONS = frozenset({1})
MAX_BATCH = 1000
# Clients buffer events offline; older than this they are no longer "live" data.
MAX_AGE = timedelta(days=30)
# Clocks on phones drift; further ahead than this is a broken client, not drift.
MAX_FUTURE = timedelta(days=1)
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{8,64}$")
_BUYER = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")


class EventType(StrEnum):
    ROOM_IMPRESSION = "room_impression"  # 直播间曝光
    ENTER = "enter"  # 进入直播间
    LEAVE = "leave"  # 离开 (props.dwell_seconds)
    PRODUCT_IMPRESSION = "product_impression"  # 商品曝光
    PRODUCT_CLICK = "product_click"  # 商品点击
    ADD_TO_CART = "add_to_cart"  # 加购
    ORDER = "order"  # 下单 (props.order_id, props.amount_fen)
    PAY = "pay"  # 支付成功
    PAYMENT_FAILURE = "payment_failure"  # 支付失败 (props.reason)
    COMMENT = "comment"  # 评论
    LIKE = "like"  # 点赞 (props.count: taps are batched by the client)
    SHARE = "share"  # 分享
    FOLLOW = "follow"  # 关注
    JOIN_FAN_GROUP = "join_fan_group"  # 加入粉丝团
    RESERVATION = "reservation"  # 预约
    COUPON_CLAIM = "coupon_claim"  # 领券
    PAGE_VIEW = "page_view"  # 落地页访问: our /reserve or /live page (props.page, link_code)


# Types that describe one product: they must name the SKU.
NEEDS_SKU = frozenset({EventType.PRODUCT_IMPRESSION, EventType.PRODUCT_CLICK,
                       EventType.ADD_TO_CART})
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
_TYPES = {t.value: t for t in EventType}
_NO_UTM = dict.fromkeys(UTM_FIELDS, "")
KNOWN_FIELDS = frozenset({"event_id", "type", "version", "session_id", "buyer_id", "ts",
                          "channel", *UTM_FIELDS, "sku_id", "props"})


@dataclass(frozen=True)
class TrackingEvent:
    event_id: str
    type: EventType
    session_id: str
    buyer_id: str  # pseudonymous: a platform open-id or hashed id, never a phone number
    ts: datetime  # aware, UTC
    channel: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_content: str = ""
    sku_id: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    version: int = SCHEMA_VERSION

    def to_row(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "type": self.type.value, "version": self.version,
                "session_id": self.session_id, "buyer_id": self.buyer_id, "ts": self.ts,
                "channel": self.channel, "utm_source": self.utm_source,
                "utm_medium": self.utm_medium, "utm_campaign": self.utm_campaign,
                "utm_content": self.utm_content, "sku_id": self.sku_id, "props": self.props}

    def to_json(self) -> dict[str, Any]:
        return {**self.to_row(), "ts": self.ts.isoformat()}


@dataclass(frozen=True)
class Rejection:
    index: int
    event_id: str | None
    reasons: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "event_id": self.event_id, "reasons": self.reasons}


def parse_ts(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _text(raw: dict[str, Any], name: str, reasons: list[str], limit: int = 128) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        reasons.append(f"{name}: must be a string of at most {limit} characters")
        return ""
    return value


def validate_event(raw: Any, session_id: str, now: datetime,
                   known_skus: frozenset[str] | None = None) -> TrackingEvent | list[str]:
    """A valid event, or every reason the raw event is not one (stable snake_case codes
    followed by a human explanation)."""
    if not isinstance(raw, dict):
        return ["not_an_object: each event must be a JSON object"]
    reasons: list[str] = []
    if not KNOWN_FIELDS.issuperset(raw):
        unknown = sorted(set(raw) - KNOWN_FIELDS)
        reasons.append(f"unknown_field: {', '.join(unknown)} (put extras under props)")
    event_id = raw.get("event_id")
    if not isinstance(event_id, str) or not _ID.match(event_id):
        reasons.append("invalid_event_id: 8–64 characters of letters, digits, _ . : -")
    version = raw.get("version", SCHEMA_VERSION)
    if version not in SUPPORTED_VERSIONS or isinstance(version, bool):
        reasons.append(f"unsupported_version: {version!r}; supported {sorted(SUPPORTED_VERSIONS)}")
    raw_type = raw.get("type")
    etype = _TYPES.get(raw_type) if isinstance(raw_type, str) else None
    if etype is None:
        reasons.append(f"unknown_type: {raw.get('type')!r}")
    if raw.get("session_id") not in (None, session_id):
        reasons.append("session_mismatch: event belongs to another session")
    buyer = raw.get("buyer_id")
    if not isinstance(buyer, str) or not _BUYER.match(buyer):
        reasons.append("invalid_buyer_id: a pseudonymous id of 1–64 safe characters")
    ts = parse_ts(raw.get("ts"))
    if ts is None:
        reasons.append("invalid_ts: ISO-8601 with a timezone offset")
    elif ts > now + MAX_FUTURE:
        reasons.append("ts_in_future: more than a day ahead of the server")
    elif ts < now - MAX_AGE:
        reasons.append("ts_too_old: more than 30 days old")
    utm = ({name: _text(raw, name, reasons) for name in UTM_FIELDS}
           if not raw.keys().isdisjoint(UTM_FIELDS) else _NO_UTM)
    channel = _text(raw, "channel", reasons, 32) or channel_for_utm(utm["utm_source"])
    if channel and channel not in CHANNELS:
        reasons.append(f"unknown_channel: {channel!r}; one of {sorted(CHANNELS)}")
    sku_id = raw.get("sku_id")
    if sku_id is not None and not isinstance(sku_id, str):
        reasons.append("invalid_sku_id: must be a string")
        sku_id = None
    if etype in NEEDS_SKU and not sku_id:
        reasons.append(f"missing_sku_id: {etype.value} events name the product")
    if sku_id and known_skus is not None and sku_id not in known_skus:
        reasons.append("sku_not_in_lineup: the SKU is not sold in this session")
    props = raw.get("props", {})
    if not isinstance(props, dict):
        reasons.append("invalid_props: must be an object")
        props = {}
    reasons.extend(_check_props(etype, props))
    if reasons or etype is None or ts is None:
        return reasons
    return TrackingEvent(event_id=str(event_id), type=etype, session_id=session_id,
                         buyer_id=str(buyer), ts=ts.astimezone(now.tzinfo), channel=channel,
                         sku_id=sku_id, props=props, version=int(version), **utm)


def _check_props(etype: EventType | None, props: dict[str, Any]) -> list[str]:
    out = []
    numeric = {EventType.LEAVE: "dwell_seconds", EventType.LIKE: "count",
               EventType.ORDER: "amount_fen"}
    name = numeric.get(etype) if etype else None
    if name and name in props:
        value = props[name]
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            out.append(f"invalid_props: {name} must be a non-negative number")
    if etype == EventType.ORDER and "amount_fen" in props and not isinstance(
            props["amount_fen"], int):
        out.append("invalid_props: amount_fen is an integer number of fen")
    if props.get("source") == SERVER_SOURCE:
        out.append("reserved_prop: source=server marks facts the server records itself")
    if len(repr(props)) > 4000:
        out.append("invalid_props: larger than 4 KB")
    elif not _finite(props):  # NaN/Infinity parse from JSON, but no store or reader takes them
        out.append("invalid_props: numbers must be finite (no NaN or Infinity)")
    return out


def _finite(value: Any) -> bool:
    if isinstance(value, str | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def payment_failure_fact(session_id: str, buyer_id: str, order_id: str, reason: str,
                         at: datetime) -> TrackingEvent:
    return TrackingEvent(event_id=f"srv:pf:{order_id[-20:]}:{int(at.timestamp() * 1e6)}",
                         type=EventType.PAYMENT_FAILURE, session_id=session_id,
                         buyer_id=buyer_id, ts=at,
                         props={"source": SERVER_SOURCE, "order_id": order_id,
                                "reason": reason})


VIEWER_PAGES = ("reserve", "live")


def page_view_fact(session_id: str, visitor: str, page: str, channel: str,
                   utm: dict[str, str], link_code: str | None, at: datetime) -> TrackingEvent:
    """A visit to one of our viewer pages, as the server saw it. One per visitor, page and
    minute: a reload or a second tab within the minute is the same visit."""
    minute = int(at.timestamp()) // 60
    return TrackingEvent(event_id=f"srv:pv:{page[0]}:{visitor[-32:]}:{minute}",
                         type=EventType.PAGE_VIEW, session_id=session_id, buyer_id=visitor,
                         ts=at, channel=channel, utm_source=utm.get("utm_source", "")[:128],
                         utm_medium=utm.get("utm_medium", "")[:128],
                         utm_campaign=utm.get("utm_campaign", "")[:128],
                         utm_content=utm.get("utm_content", "")[:128],
                         props={"source": SERVER_SOURCE, "page": page,
                                **({"link_code": link_code} if link_code else {})})


def validate_batch(raws: list[Any], session_id: str, now: datetime,
                   known_skus: frozenset[str] | None = None,
                   ) -> tuple[list[TrackingEvent], list[Rejection]]:
    """Split a batch into valid events and rejections; a repeated event_id inside the
    batch is kept once (the first), like a repeat across batches.

    Most events of a client batch are plain (no UTM, small or no props, a timestamp shared
    with their neighbours): `_plain_event` accepts those with the same rules at a fraction
    of the cost; anything it does not vouch for goes through `validate_event`, which gives
    the same verdict with every reason."""
    accepted: list[TrackingEvent] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    window = (now - MAX_AGE, now + MAX_FUTURE)
    stamps: dict[str, datetime | None] = {}
    for index, raw in enumerate(raws):
        result: TrackingEvent | list[str] | None = _plain_event(
            raw, session_id, window, known_skus, stamps)
        if result is None:
            result = validate_event(raw, session_id, now, known_skus)
        if isinstance(result, TrackingEvent):
            if result.event_id not in seen:
                seen.add(result.event_id)
                accepted.append(result)
        else:
            eid = raw.get("event_id") if isinstance(raw, dict) else None
            rejected.append(Rejection(index, eid if isinstance(eid, str) else None, result))
    return accepted, rejected


_PLAIN_FIELDS = KNOWN_FIELDS - set(UTM_FIELDS)


def _plain_event(raw: Any, session_id: str, window: tuple[datetime, datetime],
                 known_skus: frozenset[str] | None,
                 stamps: dict[str, datetime | None]) -> TrackingEvent | None:
    """The event when `raw` is a plain valid one (validate_event would accept it as is);
    None when it is anything else, for validate_event to judge and explain."""
    if type(raw) is not dict or not _PLAIN_FIELDS.issuperset(raw):
        return None
    get = raw.get
    event_id, buyer, raw_type, stamp = get("event_id"), get("buyer_id"), get("type"), get("ts")
    version = get("version", SCHEMA_VERSION)
    if (type(event_id) is not str or type(buyer) is not str or type(raw_type) is not str
            or type(stamp) is not str or type(version) is not int or version != 1
            or get("session_id") not in (None, session_id)):
        return None
    etype = _TYPES.get(raw_type)
    if etype is None or not _ID.match(event_id) or not _BUYER.match(buyer):
        return None
    if stamp in stamps:
        ts = stamps[stamp]
    else:
        parsed = parse_ts(stamp)
        ts = stamps[stamp] = (parsed.astimezone(window[0].tzinfo) if parsed is not None
                              and window[0] <= parsed <= window[1] else None)
    channel = get("channel", "")
    if channel is None:
        channel = ""
    sku_id = get("sku_id")
    props = get("props", {})
    if (ts is None or type(channel) is not str or (channel and channel not in CHANNELS)
            or (sku_id is not None and type(sku_id) is not str)
            or (not sku_id and etype in NEEDS_SKU)
            or (sku_id and known_skus is not None and sku_id not in known_skus)
            or type(props) is not dict or (props and _check_props(etype, props))):
        return None
    event = _new(TrackingEvent)  # the frozen dataclass's __init__ costs 3× this
    event.__dict__.update(event_id=event_id, type=etype, session_id=session_id,
                          buyer_id=buyer, ts=ts, channel=channel, sku_id=sku_id, props=props,
                          version=SCHEMA_VERSION, **_NO_UTM)
    return event


_new = object.__new__
