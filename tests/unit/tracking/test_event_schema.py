"""The tracking event schema: what is accepted, what is rejected and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.tracking.channels import channel_for_utm, tagged_url, utm_for
from liveroom.tracking.model import EventType, TrackingEvent, validate_batch, validate_event

NOW = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


def raw(**kw):
    return {"event_id": "evt-00000001", "type": "enter", "buyer_id": "b1",
            "ts": "2026-11-27T19:00:00+08:00", **kw}


def test_a_valid_event_becomes_a_typed_record_in_utc():
    e = validate_event(raw(channel="followers"), "s1", NOW)
    assert isinstance(e, TrackingEvent)
    assert e.type is EventType.ENTER and e.version == 1 and e.session_id == "s1"
    assert e.ts == NOW and e.ts.tzinfo is not None


def test_every_reason_is_reported_at_once():
    reasons = validate_event({"event_id": "x", "type": "teleport", "buyer_id": "",
                              "ts": "2026-11-27T19:00:00", "colour": "red"}, "s1", NOW)
    codes = {r.split(":")[0] for r in reasons}
    assert codes == {"unknown_field", "invalid_event_id", "unknown_type", "invalid_buyer_id",
                     "invalid_ts"}


def test_product_events_need_a_sku_from_the_lineup():
    assert "missing_sku_id" in validate_event(raw(type="product_click"), "s1", NOW)[0]
    reasons = validate_event(raw(type="add_to_cart", sku_id="other"), "s1", NOW,
                             frozenset({"sku1"}))
    assert reasons[0].startswith("sku_not_in_lineup")


def test_times_far_in_the_future_or_past_are_rejected():
    future = (NOW + timedelta(days=2)).isoformat()
    old = (NOW - timedelta(days=31)).isoformat()
    assert validate_event(raw(ts=future), "s1", NOW)[0].startswith("ts_in_future")
    assert validate_event(raw(ts=old), "s1", NOW)[0].startswith("ts_too_old")


def test_utm_source_alone_names_the_channel_and_unknown_channels_are_refused():
    assert validate_event(raw(utm_source="kol"), "s1", NOW).channel == "kol"
    assert channel_for_utm("some_blog") == "other"
    assert validate_event(raw(channel="tv"), "s1", NOW)[0].startswith("unknown_channel")


def test_a_batch_keeps_the_first_of_repeated_ids_and_indexes_rejections():
    ok, bad = validate_batch([raw(), raw(), raw(event_id="evt-00000002", type="x"), 5],
                             "s1", NOW)
    assert [e.event_id for e in ok] == ["evt-00000001"]
    assert [r.index for r in bad] == [2, 3]


def test_props_are_checked_per_type():
    negative = validate_event(raw(type="leave", props={"dwell_seconds": -1}), "s1", NOW)
    assert isinstance(negative, list) and negative[0].startswith("invalid_props")
    assert isinstance(validate_event(raw(type="like", props={"count": 12}), "s1", NOW),
                      TrackingEvent)
    assert "amount_fen" in validate_event(raw(type="order", props={"amount_fen": 9.9}),
                                          "s1", NOW)[0]


def test_numbers_that_are_not_finite_are_rejected_anywhere_in_props():
    # given events whose props hold NaN or Infinity (Python's JSON parser accepts both)
    like = raw(type="like", props={"count": float("inf")})
    nested = raw(props={"screen": {"ratio": float("nan")}})
    # when they are validated
    # then each is rejected, so no store or metrics reader ever meets them
    for event in (like, nested):
        reasons = validate_event(event, "s1", NOW)
        assert isinstance(reasons, list) and "finite" in reasons[0]


def test_tracked_links_carry_utm_per_channel_and_koc():
    utm = utm_for("community", "kitchen_friday", "koc_amei")
    url = tagged_url("https://x/live/s1", utm, lc="abc")
    assert url.startswith("https://x/live/s1?utm_source=community&utm_medium=group")
    assert "utm_content=koc_amei" in url and url.endswith("lc=abc")
