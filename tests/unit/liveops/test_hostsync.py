from datetime import UTC, datetime, timedelta

from liveroom.liveops.hostsync import next_sync, summarise, window_end

T = datetime(2026, 11, 29, 12, 47, 13, tzinfo=UTC)


def row(minute: datetime, gmv: int, online: int) -> dict:
    return {"minute": minute, "gmv_fen": gmv, "paid_orders": 1 if gmv else 0, "orders": 1,
            "enters": 2, "payment_failures": 0, "online": online}


def test_the_window_is_the_last_completed_half_hour():
    assert window_end(T) == datetime(2026, 11, 29, 12, 30, tzinfo=UTC)
    assert next_sync(T) == datetime(2026, 11, 29, 13, 0, tzinfo=UTC)
    assert window_end(T.replace(minute=12)) == datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_summary_sums_the_window_and_compares_with_the_one_before():
    base = datetime(2026, 11, 29, 11, 30, tzinfo=UTC)
    # 11:30–12:00: 30 minutes of 100 fen; 12:00–12:30: 30 minutes of 300 fen; 12:30+: 999
    timeline = ([row(base + timedelta(minutes=i), 100, 10) for i in range(30)]
                + [row(base + timedelta(minutes=30 + i), 300, 20 + i) for i in range(30)]
                + [row(base + timedelta(minutes=60 + i), 999, 5) for i in range(10)])
    lines = [("A", base + timedelta(minutes=31), 500), ("B", base + timedelta(minutes=40), 700),
             ("A", base + timedelta(minutes=50), 400), ("C", base + timedelta(minutes=5), 999)]
    s = summarise(timeline, lines, T)
    assert s.figures["gmv_fen"] == 9000 and s.previous["gmv_fen"] == 3000
    assert s.figures["enters"] == 60 and s.change("gmv_fen") == 2.0
    assert s.online_end == 49  # the window's last minute
    assert s.top_skus == (("A", 900), ("B", 700))
