"""Reminder rules: quiet hours across midnight in Asia/Shanghai, the local day, channels."""

from __future__ import annotations

from datetime import UTC, date, datetime

from liveroom.crm.reach import QuietHours, preferred_channel

Q = QuietHours()


def test_quiet_hours_span_midnight_in_shanghai() -> None:
    # 14:30 UTC is 22:30 in Shanghai (quiet); 01:00 UTC is 09:00 (allowed)
    assert Q.quiet(datetime(2026, 11, 27, 14, 30, tzinfo=UTC))
    assert Q.quiet(datetime(2026, 11, 27, 23, 59, tzinfo=UTC))  # 07:59 local
    assert not Q.quiet(datetime(2026, 11, 28, 0, 0, tzinfo=UTC))  # 08:00 local
    assert not Q.quiet(datetime(2026, 11, 27, 13, 59, tzinfo=UTC))  # 21:59 local


def test_a_quiet_message_moves_to_eight_in_the_morning() -> None:
    late = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 23:00 local
    assert Q.next_allowed(late) == datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    early = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)  # 04:00 local on the 28th
    assert Q.next_allowed(early) == datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    day = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    assert Q.next_allowed(day) == day


def test_the_day_is_the_local_day() -> None:
    assert Q.day(datetime(2026, 11, 27, 17, 0, tzinfo=UTC)) == date(2026, 11, 28)
    assert Q.next_day(datetime(2026, 11, 27, 3, 0, tzinfo=UTC)) == \
        datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


def test_the_preferred_channel_is_the_first_granted() -> None:
    assert preferred_channel(["sms", "wecom"]) == "wecom"
    assert preferred_channel([]) is None
