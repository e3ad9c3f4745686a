"""The batch engine: the state of metrics.live.LiveAggregator built from a whole event log
in one pass of Polars (lazy) instead of event by event in Python.

The log arrives as a frame with the columns of `LOG_SCHEMA`, in `seq` order (the order the
live fold applies events in). Every rule here mirrors `LiveAggregator._apply`; the test
tests/unit/metrics/test_batch_equals_fold.py checks both on generated logs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import polars as pl

from liveroom.metrics.live import (
    _COUNTED,
    _STAGE_RANK,
    EVENT_STAGES,
    SKU_STAGES,
    LiveAggregator,
    counts_failure,
    event_num,
)
from liveroom.tracking.model import EventType, TrackingEvent

E = EventType
_MINUTE_US = 60_000_000
LOG_SCHEMA: dict[str, Any] = {
    "seq": pl.Int64, "type": pl.String, "buyer_id": pl.String,
    "ts": pl.Datetime("us", "UTC"), "channel": pl.String, "sku_id": pl.String,
    # props.dwell_seconds of a leave, props.count of a like; null otherwise
    "num": pl.Float64,
    # a payment_failure that counts (metrics.live.counts_failure); false otherwise
    "counted": pl.Boolean,
}


def frame_from_events(events: Iterable[tuple[int, TrackingEvent]]) -> pl.DataFrame:
    """A log frame from (seq, event) pairs, as the SQL readers build it from rows."""
    rows = [(seq, e.type.value, e.buyer_id, e.ts, e.channel, e.sku_id, event_num(e),
             e.type == E.PAYMENT_FAILURE and counts_failure(e)) for seq, e in events]
    return pl.DataFrame(rows, schema=LOG_SCHEMA, orient="row")


def fold_frame(log: pl.DataFrame | pl.LazyFrame) -> LiveAggregator:
    """The aggregator state after applying every event of `log` in seq order."""
    frame = log.collect() if isinstance(log, pl.LazyFrame) else log
    if not frame["seq"].is_sorted():
        frame = frame.sort("seq")
    agg = LiveAggregator()
    if frame.height == 0:
        return agg
    # Buyers as integer codes: every per-buyer step below groups by them.
    ranks = {t.value: r for t, r in _STAGE_RANK.items()}
    sku_ranks = {t.value: r for r, t in enumerate(SKU_STAGES)}
    minute_us = (pl.col("ts").dt.epoch("us") // _MINUTE_US) * _MINUTE_US
    flow = frame.with_columns(
        minute_us.cast(pl.Datetime("us")).dt.replace_time_zone("UTC").alias("minute"),
        pl.col("buyer_id").cast(pl.Categorical).to_physical().alias("who"),
        pl.col("type").replace_strict(ranks, default=None, return_dtype=pl.Int8)
        .alias("rank"),
        pl.when(pl.col("sku_id").is_not_null() & (pl.col("sku_id") != ""))
        .then(pl.col("type").replace_strict(sku_ranks, default=None, return_dtype=pl.Int8))
        .alias("sku_rank"))
    agg.seen = flow.height
    agg.last_ts = flow["ts"].max()  # type: ignore[assignment]
    moves = _presence(flow)
    _counts(flow, moves, agg)
    _funnel(flow, agg)
    _online(flow, moves, agg)
    return agg


def _presence(flow: pl.DataFrame) -> pl.DataFrame:
    """The enters and leaves, each with `delta` in the online count (+1 an enter of an
    absent buyer, -1 a leave of a present one), `online` after it, and on leaves the dwell
    the fold would record."""
    enter = pl.col("type") == E.ENTER.value
    moves = flow.filter(enter | (pl.col("type") == E.LEAVE.value)).select(
        "seq", "who", "buyer_id", "ts", "num", enter.cast(pl.Int32).alias("state"))
    prev = pl.col("state").shift(1).over("who").fill_null(0)
    moves = moves.with_columns(prev.alias("prev"))
    moves = moves.with_columns((pl.col("state") - pl.col("prev")).alias("delta"))
    run_start = pl.when(pl.col("delta") == 1).then(pl.col("ts")).otherwise(None)
    moves = moves.with_columns(run_start.forward_fill().over("who").alias("run_start"),
                               pl.col("delta").cum_sum().alias("online"))
    since_entry = (pl.col("ts") - pl.col("run_start")).dt.total_microseconds() / 1e6
    leave = pl.col("state") == 0
    dwell = (pl.when(leave & pl.col("num").is_not_null()).then(pl.col("num"))
             .when(leave & (pl.col("prev") == 1)).then(since_entry)
             .otherwise(None))
    return moves.with_columns(dwell.alias("dwell"))


def _counts(flow: pl.DataFrame, moves: pl.DataFrame, agg: LiveAggregator) -> None:
    by_type = dict(flow.group_by("type").len().iter_rows())
    agg.enters = int(by_type.get(E.ENTER.value, 0))
    for etype, name in _COUNTED.items():
        if by_type.get(etype.value):
            agg.counts[name] = int(by_type[etype.value])
    likes = flow.filter(pl.col("type") == E.LIKE.value)["num"]
    if likes.len():
        agg.counts["likes"] = int(likes.fill_null(1.0).cast(pl.Int64).sum())
    failures = flow.filter(pl.col("counted"))
    if failures.height:
        agg.counts["payment_failures"] = failures.height
        agg.failures_at = Counter(dict(failures.group_by("minute").len().iter_rows()))
    dwell = moves["dwell"].drop_nulls()
    agg.dwell_visits = dwell.len()
    agg.dwell_seconds = float(dwell.clip(lower_bound=0.0).sum()) if dwell.len() else 0.0
    enters = flow.filter(pl.col("type") == E.ENTER.value)
    agg.enters_at = Counter(dict(enters.group_by("minute").len().iter_rows()))


def _funnel(flow: pl.DataFrame, agg: LiveAggregator) -> None:
    """One pass per buyer: the furthest funnel stage and the first channel."""
    per_buyer = flow.group_by("who").agg(
        pl.col("buyer_id").first(), pl.col("rank").max(),
        pl.col("channel").filter(pl.col("channel") != "").first())
    reached = per_buyer.filter(pl.col("rank").is_not_null())
    agg.reach = _mapping(reached, "buyer_id", "rank")
    agg.stage_counts = [reached.filter(pl.col("rank") >= k).height
                        for k in range(len(EVENT_STAGES))]
    agg.first_channel = _mapping(per_buyer.filter(pl.col("channel").is_not_null()),
                                 "buyer_id", "channel")
    per_sku = (flow.filter(pl.col("sku_rank").is_not_null())
               .group_by("sku_id", "who")
               .agg(pl.col("buyer_id").first(), pl.col("sku_rank").max().alias("rank"))
               .group_by("sku_id").agg("buyer_id", "rank"))
    for sku, buyers, sku_rank in per_sku.iter_rows():
        agg.sku_reach[sku] = dict(zip(buyers, sku_rank, strict=True))
        agg.sku_counts[sku] = [sum(1 for r in sku_rank if r >= k)
                               for k in range(len(SKU_STAGES))]


def _online(flow: pl.DataFrame, moves: pl.DataFrame, agg: LiveAggregator) -> None:
    """online_at[minute] is the online count after the minute's last event (seq order)."""
    if moves.height == 0:
        agg.online_at = dict.fromkeys(flow["minute"].unique().to_list(), 0)
        return
    agg.peak_online = max(0, int(moves["online"].max()))  # type: ignore[arg-type]
    last = flow.group_by("minute").agg(pl.col("seq").max()).sort("seq")
    online = last.join_asof(moves.select("seq", "online"), on="seq", strategy="backward")
    agg.online_at = _mapping(online.with_columns(pl.col("online").fill_null(0)),
                             "minute", "online")
    final = moves.group_by("who").agg(pl.col("buyer_id").last(), pl.col("state").last(),
                                      pl.col("run_start").last())
    present = final.filter(pl.col("state") == 1)
    agg.present = _mapping(present, "buyer_id", "run_start")
    agg.present_us = int(present["run_start"].dt.epoch("us").sum())


def _mapping(frame: pl.DataFrame, key: str, value: str) -> dict[Any, Any]:
    return dict(zip(frame[key].to_list(), frame[value].to_list(), strict=True))
