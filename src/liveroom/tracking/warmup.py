"""The warm-up timeline (预热): the tasks before a show and when each is due, computed from
the slot as the handbooks lay it out. Plain Python over the slot and who ticked what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class WarmupTask:
    key: str
    # the window in which the task is done, as offsets before the slot
    opens_before: timedelta
    due_before: timedelta


TASKS: tuple[WarmupTask, ...] = (
    WarmupTask("short_video", timedelta(days=4), timedelta(days=3)),  # 预热短视频 3 天前
    WarmupTask("reservation_links", timedelta(days=4), timedelta(days=2)),  # 预约链接与二维码发出
    WarmupTask("ads_placed", timedelta(hours=5), timedelta(hours=3)),  # 投放 3–5 小时前
    WarmupTask("ads_running", timedelta(hours=2), timedelta(hours=1)),  # 投放起量 1 小时前
    WarmupTask("preview_loop", timedelta(hours=1), timedelta(minutes=30)),  # 预告循环 30 分钟前
)
TASK_KEYS = frozenset(t.key for t in TASKS)


@dataclass(frozen=True)
class Tick:
    done_by: str
    done_at: datetime
    note: str = ""


def timeline(slot: datetime, ticks: dict[str, Tick], now: datetime) -> list[dict[str, Any]]:
    """Each task with its window and state: done (who, when, late or not), overdue, due
    now (its window is open), or upcoming."""
    out = []
    for task in TASKS:
        opens, due = slot - task.opens_before, slot - task.due_before
        tick = ticks.get(task.key)
        if tick is not None:
            state = "done_late" if tick.done_at > due else "done"
        elif now > due:
            state = "overdue"
        elif now >= opens:
            state = "due_now"
        else:
            state = "upcoming"
        out.append({"task": task.key, "opens_at": opens, "due_at": due, "state": state,
                    "done_by": tick.done_by if tick else None,
                    "done_at": tick.done_at if tick else None,
                    "note": tick.note if tick else ""})
    return out
