"""The batch engine: the state of metrics.live.LiveAggregator built from a whole event log
in one pass of Polars (lazy) instead of event by event in Python.

The log arrives as a frame with the columns of `LOG_SCHEMA`, in `seq` order (the order the
live fold applies events in). Every rule here mirrors `LiveAggregator._apply`; the test
tests/unit/metrics/test_batch_equals_fold.py checks both on generated logs."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import polars as pl

from liveroom.metrics.live import (
    _COUNTED,
    _STAGE_RANK,
    FUNNEL_STAGES,
    SKU_STAGES,
    LiveAggregator,
    counts_failure,
)
from liveroom.tracking.model import EventType, TrackingEvent

E = EventType
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
    rows = [(seq, e.type.value, e.buyer_id, e.ts, e.channel, e.sku_id, _num(e),
             e.type == E.PAYMENT_FAILURE and counts_failure(e)) for seq, e in events]
    return pl.DataFrame(rows, schema=LOG_SCHEMA, orient="row")


def _num(e: TrackingEvent) -> float | None:
    if e.type == E.LEAVE:
        value = e.props.get("dwell_seconds")
    elif e.type == E.LIKE:
        value = e.props.get("count", 1)
    else:
        return None
    return None if value is None else float(value)


def fold_frame(log: pl.DataFrame | pl.LazyFrame) -> LiveAggregator:
    """The aggregator state after applying every event of `log` in seq order."""
    lf = log.lazy().sort("seq").with_columns(
        pl.col("ts").dt.truncate("1m").alias("minute"))
    flow = _presence(lf).collect()
    agg = LiveAggregator()
    if flow.height == 0:
        return agg
    agg.seen = flow.height
    agg.last_ts = flow["ts"].max()  # type: ignore[assignment]
    _counts(flow, agg)
    _funnel(flow, agg)
    _online(flow, agg)
    _channels(flow, agg)
    return agg


def _presence(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Per event: `delta` in the online count (+1 an enter of an absent buyer, -1 a leave
    of a present one) and, on leaves, the dwell the fold would record."""
    enter, leave = pl.col("type") == E.ENTER.value, pl.col("type") == E.LEAVE.value
    state = pl.when(enter).then(1).when(leave).then(0).otherwise(None)
    lf = lf.with_columns(state.alias("state"))
    prev = (pl.col("state").forward_fill().shift(1).over("buyer_id").fill_null(0))
    lf = lf.with_columns(prev.alias("prev"))
    lf = lf.with_columns(
        pl.when(enter | leave).then(pl.col("state") - pl.col("prev")).otherwise(0)
        .alias("delta"))
    run_start = pl.when(pl.col("delta") == 1).then(pl.col("ts")).otherwise(None)
    lf = lf.with_columns(run_start.forward_fill().over("buyer_id").alias("run_start"))
    since_entry = (pl.col("ts") - pl.col("run_start")).dt.total_microseconds() / 1e6
    dwell = (pl.when(leave & pl.col("num").is_not_null()).then(pl.col("num"))
             .when(leave & (pl.col("prev") == 1)).then(since_entry)
             .otherwise(None))
    return lf.with_columns(dwell.alias("dwell"), pl.col("delta").cum_sum().alias("online"))


def _counts(flow: pl.DataFrame, agg: LiveAggregator) -> None:
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
    dwell = flow["dwell"].drop_nulls()
    agg.dwell_visits = dwell.len()
    agg.dwell_seconds = float(dwell.clip(lower_bound=0.0).sum()) if dwell.len() else 0.0
    enters = flow.filter(pl.col("type") == E.ENTER.value)
    agg.enters_at = Counter(dict(enters.group_by("minute").len().iter_rows()))


def _funnel(flow: pl.DataFrame, agg: LiveAggregator) -> None:
    ranks = {t.value: r for t, r in _STAGE_RANK.items()}
    reached = (flow.lazy().filter(pl.col("type").is_in(list(ranks)))
               .group_by("buyer_id")
               .agg(pl.col("type").replace_strict(ranks, return_dtype=pl.Int8).max()
                    .alias("rank")).collect())
    for rank, stage in enumerate(FUNNEL_STAGES[:5]):
        agg.stages[stage] = set(reached.filter(pl.col("rank") >= rank)["buyer_id"])
    sku_ranks = {t.value: r for r, t in enumerate(SKU_STAGES)}
    per_sku = (flow.lazy().filter(pl.col("type").is_in(list(sku_ranks))
                                  & pl.col("sku_id").is_not_null() & (pl.col("sku_id") != ""))
               .group_by("sku_id", "buyer_id")
               .agg(pl.col("type").replace_strict(sku_ranks, return_dtype=pl.Int8).max()
                    .alias("rank")).collect())
    sku_buyers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (sku,), group in per_sku.group_by("sku_id"):
        for rank, etype in enumerate(SKU_STAGES):
            sku_buyers[str(sku)][etype.value] = set(
                group.filter(pl.col("rank") >= rank)["buyer_id"])
    agg.sku_buyers = sku_buyers


def _online(flow: pl.DataFrame, agg: LiveAggregator) -> None:
    agg.peak_online = max(0, int(flow["online"].max()))  # type: ignore[arg-type]
    last = flow.group_by("minute").agg(pl.col("online").last())
    agg.online_at = dict(last.iter_rows())
    moves = flow.filter(pl.col("type").is_in([E.ENTER.value, E.LEAVE.value]))
    final = moves.group_by("buyer_id").agg(pl.col("state").last(),
                                           pl.col("run_start").last())
    inside: dict[str, datetime] = dict(final.filter(pl.col("state") == 1)
                                       .select("buyer_id", "run_start").iter_rows())
    agg.present = inside


def _channels(flow: pl.DataFrame, agg: LiveAggregator) -> None:
    first = (flow.lazy().filter(pl.col("channel") != "").group_by("buyer_id")
             .agg(pl.col("channel").first()).collect())
    agg.first_channel = dict(first.iter_rows())
