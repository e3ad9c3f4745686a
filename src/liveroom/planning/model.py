"""Live sessions, the run-of-show, the pre-broadcast checklist and the state machine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from liveroom.core.errors import Conflict, Invalid


class Status(StrEnum):
    PLANNED = "planned"
    REHEARSAL = "rehearsal"
    LIVE = "live"
    ENDED = "ended"


TRANSITIONS: dict[str, set[Status]] = {
    "rehearse": {Status.PLANNED},
    "start": {Status.PLANNED, Status.REHEARSAL},
    "end": {Status.LIVE},
}
TARGET_STATE = {"rehearse": Status.REHEARSAL, "start": Status.LIVE, "end": Status.ENDED}


class SegmentKind(StrEnum):
    WARMUP = "warmup"  # 预热
    OPENING = "opening"  # 开场
    PRODUCT = "product"  # 产品讲解
    PROMOTION = "promotion"  # 促销高潮
    CLOSING = "closing"  # 收尾


CHECKLIST_ITEMS = {
    "devices": "设备 devices",
    "sound": "声音 sound",
    "picture": "画面 picture",
    "network": "网络 network",
    "order_flow": "下单支付全流程 order & payment flow",
    "platform_approval": "商品平台审核 platform approval of the products",
}
# When each item is due, in minutes before the slot: the set 2–3 hours before, the
# platform's product approval two days before (it takes the platform a day or more).
CHECKLIST_DUE_MIN = {
    "devices": 180, "sound": 150, "picture": 150, "network": 150, "order_flow": 120,
    "platform_approval": 2 * 24 * 60,
}

# The contingency scripts a show needs ready, one per kind of trouble.
CONTINGENCY_KINDS = {
    "equipment_failure": "设备故障", "out_of_stock": "缺货", "slip_of_tongue": "口误"}

# Every product segment runs the loop 讲解 → 互动 → 逼单 (explain, engage, close); the script
# keeps one line per step, each starting with the step's name.
LOOP_STEPS = {"explain": "讲解", "engage": "互动", "close": "逼单"}

# The platforms' traffic peaks, local time: lunch 12–14 and evening 18–22.
PEAK_SLOTS = ((12, 14), (18, 22))

# Handbook rules the plan checker enforces.
OPENING_WINDOW_MIN = 5
MAX_PRODUCT_SEGMENT_MIN = 8
MAX_MINUTES_WITHOUT_GIVEAWAY = 20


@dataclass
class Segment:
    id: str
    kind: SegmentKind
    start_minute: int
    duration_minutes: int
    title: str = ""
    sku_id: str | None = None
    giveaway: bool = False
    script: str = ""
    contingency: str = ""
    position: int = 0

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.duration_minutes


@dataclass
class LineupItem:
    sku_id: str
    live_price_fen: int
    planned_price_fen: int
    position: int = 0
    floor_price_fen: int | None = None
    flash_quantity: int = 0
    talking_points: dict[str, str] = field(default_factory=dict)  # FABE
    listed: bool = False
    override_floor_fen: int | None = None  # lowest unit price an audited override accepted


@dataclass
class LiveSession:
    id: str
    title: str
    scheduled_start: datetime
    duration_minutes: int
    status: Status
    created_at: datetime
    theme: str = ""
    targets: dict[str, float] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    channel_budget: dict[str, int] = field(default_factory=dict)
    sku_targets: dict[str, int] = field(default_factory=dict)  # units to sell per SKU id
    contingency: dict[str, str] = field(default_factory=dict)  # script per CONTINGENCY_KINDS
    max_price_drop_pct: int = 60
    explaining_sku_id: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None

    def transition(self, action: str, now: datetime) -> Status:
        allowed = TRANSITIONS[action]
        if self.status not in allowed:
            raise Conflict(
                f"cannot {action} a session that is {self.status.value}",
                code="invalid_state", status=self.status.value, action=action,
            )
        before = self.status
        self.status = TARGET_STATE[action]
        if action == "start":
            self.started_at = now
        elif action == "end":
            self.ended_at = now
        return before

    def require(self, *states: Status) -> None:
        if self.status not in states:
            raise Conflict(
                f"session is {self.status.value}; needs {'/'.join(s.value for s in states)}",
                code="invalid_state", status=self.status.value,
            )


def validate_session_fields(duration_minutes: int, targets: dict[str, float]) -> None:
    if not 10 <= duration_minutes <= 24 * 60:
        raise Invalid("duration must be between 10 minutes and 24 hours",
                      code="invalid_duration", field="duration_minutes")
    for key, value in targets.items():
        if value < 0:
            raise Invalid(f"target {key} cannot be negative", field=f"targets.{key}")
    rate = targets.get("conversion_rate")
    if rate is not None and rate > 1:
        raise Invalid("conversion_rate is a fraction between 0 and 1",
                      field="targets.conversion_rate")


def validate_segments(segments: list[Segment], duration_minutes: int) -> None:
    ordered = sorted(segments, key=lambda s: s.start_minute)
    for prev, seg in zip(ordered, ordered[1:], strict=False):
        if seg.start_minute < prev.end_minute:
            raise Invalid(
                f"segment '{seg.title or seg.kind}' at minute {seg.start_minute} overlaps "
                f"'{prev.title or prev.kind}' (ends {prev.end_minute})",
                code="segments_overlap", field="segments",
            )
    for seg in ordered:
        if seg.duration_minutes <= 0 or seg.start_minute < -180:
            raise Invalid("segment duration must be positive", field="segments")
        if seg.end_minute > duration_minutes:
            raise Invalid(
                f"segment '{seg.title or seg.kind}' ends at minute {seg.end_minute}, "
                f"after the show ({duration_minutes} min)", code="segment_past_end",
                field="segments",
            )


def loop_steps(script: str) -> dict[str, str]:
    """The loop steps a segment script has: the text after each step's name ("讲解：…")."""
    found: dict[str, str] = {}
    for line in script.splitlines():
        text = line.strip()
        for step, name in LOOP_STEPS.items():
            if text.startswith(name):
                body = text[len(name):].lstrip(" :：")
                if body:
                    found[step] = body
    return found


def compose_loop(steps: dict[str, str]) -> str:
    """The script text for the given steps, one line per step in loop order."""
    return "\n".join(f"{name}：{steps[step].strip()}" for step, name in LOOP_STEPS.items()
                     if steps.get(step, "").strip())


def in_peak_slot(local_start: datetime) -> bool:
    """True when the show starts inside a traffic peak (12–14 or 18–22 local time)."""
    minute = local_start.hour * 60 + local_start.minute
    return any(lo * 60 <= minute < hi * 60 for lo, hi in PEAK_SLOTS)


def replace_loop(script: str, steps: dict[str, str]) -> str:
    """The script with its loop lines replaced by `steps`; other lines (notes) are kept."""
    others = [line for line in script.splitlines()
              if line.strip() and not any(line.strip().startswith(n) for n in LOOP_STEPS.values())]
    return "\n".join(x for x in (compose_loop(steps), *others) if x)
