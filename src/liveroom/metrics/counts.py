"""The counts-only batch engine: what `LiveAggregator.snapshot` and the channel table need of
a closed log, as Polars aggregates, without the per-buyer state of the live fold.

`metrics.batch.fold_frame` builds the *continuable* state (every buyer's furthest stage,
first channel, per-product reach, who is present), which the review never continues. The
snapshot only reads that per-buyer state for buyers who ordered (the funnel and the
per-product stages are closed over them), so here it is kept for those buyers alone; the
rest is counts: buyers per stage, buyers per product and stage, viewers per first channel,
dwell, the online count per minute and the entry times of who is still present.

Buyers are encoded once (a 64-bit hash of the id, checked collision-free, else a
categorical's codes) and every per-buyer step groups or sorts by those codes. Every rule
mirrors `LiveAggregator._apply`; tests/unit/metrics/test_counts_equals_fold.py checks the
review figures against the fold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import polars as pl

from liveroom.metrics.live import (
    _COUNTED,
    _STAGE_RANK,
    EVENT_STAGES,
    SKU_STAGES,
    LiveAggregator,
    OrderFact,
)
from liveroom.tracking.model import EventType, TrackingEvent

E = EventType
_MINUTE_US = 60_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TYPES = pl.Enum([t.value for t in EventType])
# an event type's stage (metrics.live), by its code in _TYPES
_RANKS = {i: _STAGE_RANK[t] for i, t in enumerate(EventType) if t in _STAGE_RANK}
_SKU_RANKS = {i: SKU_STAGES.index(t) for i, t in enumerate(EventType) if t in SKU_STAGES}


@dataclass
class CountsAggregator(LiveAggregator):
    """The snapshot state of a closed log: `reach`, `sku_reach` (values) and `first_channel`
    hold only the buyers the engine was asked to keep (those who ordered); presence is the
    entry times of who is still in the room; `viewer_channels` counts buyers who entered (or
    went further) by their first channel. Not continuable: `apply` refuses."""

    present_since: list[int] = field(default_factory=list)  # epoch µs of each present buyer
    viewer_channels: Counter[str] = field(default_factory=Counter)

    def apply(self, events: Iterable[TrackingEvent]) -> None:
        raise TypeError("a CountsAggregator is built from a closed log and cannot continue")

    def _presence(self, now: datetime) -> tuple[int, float]:
        now_us = _us(now)
        ongoing = sum(max(0, now_us - t) for t in self.present_since) / 1e6
        return len(self.present_since), ongoing

    def channel_viewers(self, orders: Iterable[OrderFact]) -> Counter[str]:
        """Viewers per first channel: who entered by their events, or ordered anyway (the
        `channels` view's viewers), by the channel of their first touch ("other" if none)."""
        out = Counter(self.viewer_channels)
        for buyer in {o.buyer_id for o in orders}:
            if self.reach.get(buyer, -1) < 1:
                out[self.first_channel.get(buyer, "other")] += 1
        return out


def counts_frame(log: pl.DataFrame | pl.LazyFrame, keep: Collection[str],
                 hashed: bool = True) -> CountsAggregator:
    """The snapshot state after every event of `log` (LOG_SCHEMA columns, any order: events
    apply in seq order), with per-buyer state for the buyers in `keep` only. Buyers are
    coded by a 64-bit hash of their id when no two ids of the log share one (checked: the
    hash is linear in the log, a categorical's dictionary grows worse than linearly with
    the buyers), by a categorical's codes otherwise (or when `hashed` is false)."""
    lazy = log.lazy()
    slim = lazy.select(
        "seq", pl.col("ts").dt.epoch("us").alias("us"),
        pl.col("type").cast(_TYPES),
        _who(lazy, hashed).alias("who"),
        pl.when(pl.col("buyer_id").is_in(list(keep))).then(pl.col("buyer_id")).alias("kept"),
        pl.when(pl.col("channel") != "").then(pl.col("channel")).alias("channel"),
        pl.when(pl.col("sku_id") != "").then(pl.col("sku_id")).alias("sku_id"),
        "num", "counted").collect()
    if not slim["seq"].is_sorted():
        slim = slim.sort("seq")
    agg = CountsAggregator()
    if slim.height == 0:
        return agg
    code = pl.col("type").to_physical()
    slim = slim.with_columns(
        (pl.col("us") // _MINUTE_US).alias("minute"),
        code.replace_strict(_RANKS, default=None, return_dtype=pl.Int8).alias("rank"),
        code.replace_strict(_SKU_RANKS, default=None, return_dtype=pl.Int8)
        .alias("sku_rank"))
    agg.seen = slim.height
    agg.last_ts = _at(int(slim["us"].max()))  # type: ignore[arg-type]
    _counts(slim, agg)
    _funnel(slim, agg)
    _products(slim, agg)
    _presence(slim, agg)
    return agg


def _who(log: pl.LazyFrame, hashed: bool) -> pl.Expr:
    """Buyer codes: the id's hash if it tells every id of the log apart, else exact codes."""
    ids = pl.col("buyer_id")
    if hashed:
        distinct = log.select(ids.n_unique().alias("ids"),
                              ids.hash().n_unique().alias("codes")).collect()
        if distinct["ids"][0] == distinct["codes"][0]:
            return ids.hash()
    return ids.cast(pl.Categorical).to_physical().cast(pl.UInt64)


def _counts(slim: pl.DataFrame, agg: CountsAggregator) -> None:
    by_type = {str(k): int(v) for k, v in slim.group_by("type").len().iter_rows()}
    agg.enters = by_type.get(E.ENTER.value, 0)
    for etype, name in _COUNTED.items():
        if by_type.get(etype.value):
            agg.counts[name] = by_type[etype.value]
    likes = slim.filter(pl.col("type") == E.LIKE.value)["num"]
    if likes.len():
        agg.counts["likes"] = int(likes.fill_null(1.0).cast(pl.Int64).sum())
    failures = slim.filter(pl.col("counted"))
    if failures.height:
        agg.counts["payment_failures"] = failures.height
        agg.failures_at = _per_minute(failures)
    agg.enters_at = _per_minute(slim.filter(pl.col("type") == E.ENTER.value))


def _funnel(slim: pl.DataFrame, agg: CountsAggregator) -> None:
    """Buyers per furthest stage and viewers per first channel, in one group-by on codes;
    the kept buyers' own stage and first channel."""
    per_buyer = slim.group_by("who").agg(
        pl.col("rank").max(), pl.col("channel").drop_nulls().first())
    reached = per_buyer.filter(pl.col("rank").is_not_null())
    at_rank = dict(reached.group_by("rank").len().iter_rows())
    agg.stage_counts = [sum(int(n) for r, n in at_rank.items() if r >= k)
                        for k in range(len(EVENT_STAGES))]
    viewers = reached.filter(pl.col("rank") >= 1).group_by("channel").len()
    agg.viewer_channels = Counter({("other" if ch is None else str(ch)): int(n)
                                   for ch, n in viewers.iter_rows()})
    kept = slim.filter(pl.col("kept").is_not_null()).group_by("kept").agg(
        pl.col("rank").max(), pl.col("channel").drop_nulls().first())
    for buyer, rank, channel in kept.iter_rows():
        if rank is not None:
            agg.reach[buyer] = int(rank)
        if channel is not None:
            agg.first_channel[buyer] = str(channel)


def _products(slim: pl.DataFrame, agg: CountsAggregator) -> None:
    """Per product: buyers per furthest product stage; the kept buyers' own stage."""
    rows = slim.filter(pl.col("sku_id").is_not_null() & pl.col("sku_rank").is_not_null())
    per_pair = rows.group_by("sku_id", "who").agg(pl.col("sku_rank").max())
    for sku, rank, n in per_pair.group_by("sku_id", "sku_rank").len().iter_rows():
        counts = agg.sku_counts[str(sku)]
        for k in range(int(rank) + 1):
            counts[k] += int(n)
        agg.sku_reach.setdefault(str(sku), {})
    kept = (rows.filter(pl.col("kept").is_not_null())
            .group_by("sku_id", "kept").agg(pl.col("sku_rank").max()))
    for sku, buyer, rank in kept.iter_rows():
        agg.sku_reach[str(sku)][str(buyer)] = int(rank)


def _presence(slim: pl.DataFrame, agg: CountsAggregator) -> None:
    """Enters and leaves per buyer in seq order (a stable sort by buyer code): +1 an enter
    of an absent buyer, -1 a leave of a present one; dwell on leaves; the online count
    after each change; who is present at the end and since when."""
    enter = pl.col("type") == E.ENTER.value
    moves = (slim.filter(enter | (pl.col("type") == E.LEAVE.value))
             .select("seq", "who", "us", "minute", "num", enter.cast(pl.Int8).alias("state"))
             .sort("who", maintain_order=True))
    same = pl.col("who") == pl.col("who").shift(1)
    moves = moves.with_columns(
        pl.when(same).then(pl.col("state").shift(1)).otherwise(0).alias("prev"))
    moves = moves.with_columns((pl.col("state") - pl.col("prev")).alias("delta"))
    # within one buyer's run, the last +1 is the entry the fold remembers
    moves = moves.with_columns(pl.when(pl.col("delta") == 1).then(pl.col("us"))
                               .forward_fill().alias("run_start"))
    leave = pl.col("state") == 0
    dwell = moves.select(
        pl.when(leave & pl.col("num").is_not_null()).then(pl.col("num"))
        .when(leave & (pl.col("prev") == 1))
        .then((pl.col("us") - pl.col("run_start")) / 1e6)
        .otherwise(None).alias("dwell"))["dwell"].drop_nulls()
    agg.dwell_visits = dwell.len()
    agg.dwell_seconds = float(dwell.clip(lower_bound=0.0).sum()) if dwell.len() else 0.0
    last = moves.filter(pl.col("who").is_last_distinct())
    agg.present_since = last.filter(pl.col("state") == 1)["run_start"].to_list()
    _online(slim, moves, agg)


def _online(slim: pl.DataFrame, moves: pl.DataFrame, agg: CountsAggregator) -> None:
    """online_at[minute] is the online count after the minute's last event (seq order)."""
    changes = (moves.filter(pl.col("delta") != 0).select("seq", "delta").sort("seq")
               .with_columns(pl.col("delta").cast(pl.Int64).cum_sum().alias("online")))
    if changes.height:
        agg.peak_online = max(0, int(changes["online"].max()))  # type: ignore[arg-type]
    last = slim.group_by("minute").agg(pl.col("seq").max()).sort("seq")
    online = last.join_asof(changes.select("seq", "online"), on="seq", strategy="backward")
    agg.online_at = {_at(m * _MINUTE_US): int(n or 0)
                     for m, n in online.select("minute", "online").iter_rows()}


def _per_minute(rows: pl.DataFrame) -> Counter[datetime]:
    return Counter({_at(m * _MINUTE_US): int(n)
                    for m, n in rows.group_by("minute").len().iter_rows()})


def _us(ts: datetime) -> int:
    return (ts - _EPOCH) // timedelta(microseconds=1)


def _at(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)
