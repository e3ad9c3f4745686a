"""The counts-only batch engine: what `LiveAggregator.snapshot` and the channel table need of
a closed log, without the per-buyer state of the live fold.

`metrics.batch.fold_frame` builds the *continuable* state (every buyer's furthest stage,
first channel, per-product reach, who is present), which the review never continues. The
snapshot only reads that per-buyer state for buyers who ordered (the funnel and the
per-product stages are closed over them), so here it is kept for those buyers alone; the
rest is counts: buyers per stage, buyers per product and stage, viewers per first channel,
dwell, the online count per minute and the entry times of who is still present.

The log arrives with buyers coded (metrics.buyers: dense integers, written into the
segments when they are compacted), so every per-buyer step is a NumPy scatter into an
array indexed by code (`np.maximum.at` for the furthest stage, `np.minimum.at` for the
first row with a channel): linear in the log, no hashing of ids. Every rule mirrors
`LiveAggregator._apply`; tests/unit/metrics/test_counts_equals_fold.py checks the review
figures against the fold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from liveroom.metrics.buyers import CodedLog, coded_log
from liveroom.metrics.live import (
    _COUNTED,
    _STAGE_RANK,
    EVENT_STAGES,
    SKU_STAGES,
    LiveAggregator,
    OrderFact,
    epoch_us,
)
from liveroom.tracking.model import EventType, TrackingEvent

E = EventType
_MINUTE_US = 60_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# event types by their index in EventType; a type no longer known gets the last code
_CODE = {t.value: i for i, t in enumerate(EventType)}
_OTHER = len(EventType)


def _by_code(ranks: dict[EventType, int]) -> np.ndarray:
    table = np.full(_OTHER + 1, -1, np.int8)
    for etype, rank in ranks.items():
        table[_CODE[etype]] = rank
    return table


_RANK = _by_code(_STAGE_RANK)  # the funnel stage an event type reaches, -1 none
_SKU_RANK = _by_code({t: i for i, t in enumerate(SKU_STAGES)})
_CELLS = 1 << 24  # (product, buyer) cells scattered at once: 16 MB


@dataclass
class CountsAggregator(LiveAggregator):
    """The snapshot state of a closed log: `reach`, `sku_reach` (values) and `first_channel`
    hold only the buyers the engine was asked to keep (those who ordered); presence is the
    entry times of who is still in the room; `viewer_channels` counts buyers who entered (or
    went further) by their first channel. Not continuable: `apply` refuses."""

    present_since: np.ndarray = field(  # epoch µs of each present buyer's entry
        default_factory=lambda: np.zeros(0, np.int64))
    viewer_channels: Counter[str] = field(default_factory=Counter)

    def apply(self, events: Iterable[TrackingEvent]) -> None:
        raise TypeError("a CountsAggregator is built from a closed log and cannot continue")

    def _presence(self, now: datetime) -> tuple[int, float]:
        ongoing = int(np.clip(epoch_us(now) - self.present_since, 0, None).sum()) / 1e6
        return len(self.present_since), ongoing

    def channel_viewers(self, orders: Iterable[OrderFact]) -> Counter[str]:
        """Viewers per first channel: who entered by their events, or ordered anyway (the
        `channels` view's viewers), by the channel of their first touch ("other" if none)."""
        out = Counter(self.viewer_channels)
        for buyer in {o.buyer_id for o in orders}:
            if self.reach.get(buyer, -1) < 1:
                out[self.first_channel.get(buyer, "other")] += 1
        return out


@dataclass
class _Log:
    """The slim log in seq order, its type codes and buyer codes as arrays, and the kept
    buyers (ids and codes)."""

    rows: pl.DataFrame
    code: np.ndarray
    who: np.ndarray
    num: np.ndarray  # props.dwell_seconds of a leave, props.count of a like; else nan
    buyers: int
    kept_ids: list[str]
    kept: np.ndarray


def counts_frame(log: CodedLog | pl.DataFrame | pl.LazyFrame,
                 keep: Collection[str]) -> CountsAggregator:
    """The snapshot state after every event of `log` (a CodedLog, or a plain LOG_SCHEMA
    frame in any row order, coded here), with per-buyer state for the buyers in `keep`
    only."""
    coded = log if isinstance(log, CodedLog) else coded_log(log)
    rows = coded.events.select(
        pl.col("ts").dt.epoch("us").alias("us"), pl.col("type").cast(pl.Categorical),
        "who", "channel", "sku_id", pl.col("num").fill_null(float("nan")), "counted",
    ).collect()
    agg = CountsAggregator()
    if rows.height == 0:
        return agg
    rows = rows.with_columns((pl.col("us") // _MINUTE_US).alias("minute"))
    kept = coded.buyers.filter(pl.col("buyer_id").is_in(list(keep)))
    who = rows["who"].to_numpy()
    types, _ = _dense(rows["type"], lambda name: _CODE.get(name, _OTHER), np.uint8)
    slim = _Log(rows, types, who, rows["num"].to_numpy(),
                max(coded.buyers.height, int(who.max()) + 1), kept["buyer_id"].to_list(),
                kept["who"].to_numpy())
    agg.seen = rows.height
    agg.last_ts = _at(int(rows["us"].max()))  # type: ignore[arg-type]
    _counts(slim, agg)
    _funnel(slim, agg)
    _products(slim, agg)
    _presence(slim, agg)
    return agg


def _counts(log: _Log, agg: CountsAggregator) -> None:
    by_type = np.bincount(log.code, minlength=_OTHER + 1)
    agg.enters = int(by_type[_CODE[E.ENTER]])
    for etype, name in _COUNTED.items():
        if by_type[_CODE[etype]]:
            agg.counts[name] = int(by_type[_CODE[etype]])
    likes = log.num[log.code == _CODE[E.LIKE]]
    if len(likes):  # a like without a count is one
        agg.counts["likes"] = int(np.where(np.isnan(likes), 1.0, likes).astype(np.int64).sum())
    minute = log.rows["minute"]
    failures = minute.filter(log.rows["counted"])
    if failures.len():
        agg.counts["payment_failures"] = failures.len()
        agg.failures_at = _per_minute(failures)
    agg.enters_at = _per_minute(minute.filter(pl.Series(log.code == _CODE[E.ENTER])))


def _funnel(log: _Log, agg: CountsAggregator) -> None:
    """Each buyer's furthest stage and first row naming a channel, by scatter into arrays
    indexed by buyer code; buyers per stage, viewers per first channel; the kept buyers'
    own stage and first channel."""
    best = np.full(log.buyers, -1, np.int8)
    np.maximum.at(best, log.who, _RANK[log.code])
    agg.stage_counts = _at_least(best, len(EVENT_STAGES))
    channel = log.rows["channel"]
    named = np.flatnonzero((channel.is_not_null() & (channel != "")).to_numpy())
    none = log.rows.height
    first = np.full(log.buyers, none, np.int64)
    np.minimum.at(first, log.who[named], named)
    viewers = first[best >= 1]
    touched = viewers[viewers < none]
    agg.viewer_channels = Counter({str(ch): int(n) for ch, n in
                                   channel.gather(touched).value_counts().iter_rows()})
    if len(touched) < len(viewers):
        agg.viewer_channels["other"] += len(viewers) - len(touched)
    for buyer, rank, row in zip(log.kept_ids, best[log.kept], first[log.kept], strict=True):
        if rank >= 0:
            agg.reach[buyer] = int(rank)
        if row < none:
            agg.first_channel[buyer] = str(channel[int(row)])


def _products(log: _Log, agg: CountsAggregator) -> None:
    """Per product: buyers per furthest product stage, by scatter into (product, buyer)
    cells, a batch of products at a time; the kept buyers' own stage."""
    sku = log.rows["sku_id"]
    srank = _SKU_RANK[log.code]
    rows = np.flatnonzero((srank >= 0) & (sku.is_not_null() & (sku != "")).to_numpy())
    if not len(rows):
        return
    product, names = _dense(sku.gather(rows).cast(pl.Categorical))
    who, srank = log.who[rows], srank[rows]
    n, step = log.buyers, max(1, _CELLS // log.buyers)
    for lo in range(0, len(names), step):
        hi = min(lo + step, len(names))
        batch = (product >= lo) & (product < hi) if step < len(names) else slice(None)
        cells = np.full((hi - lo) * n, -1, np.int8)
        np.maximum.at(cells, (product[batch] - lo) * n + who[batch], srank[batch])
        for k in range(hi - lo):
            mine = cells[k * n:(k + 1) * n]
            name = names[lo + k]
            agg.sku_counts[name] = _at_least(mine, len(SKU_STAGES))
            agg.sku_reach[name] = {buyer: int(r) for buyer, r in
                                   zip(log.kept_ids, mine[log.kept], strict=True) if r >= 0}


def _dense(values: pl.Series, code: Callable[[str], int] | None = None,
           dtype: type = np.int64) -> tuple[np.ndarray, list[str]]:
    """A categorical's rows as codes, one lookup per row through its physical codes (no
    string work per row), and its k distinct values: the codes are 0…k-1 by those values,
    or `code(value)`."""
    distinct = values.unique()
    names = distinct.cast(pl.String).to_list()
    physical = distinct.to_physical().to_numpy()
    table: np.ndarray = np.zeros(int(physical.max()) + 1, dtype)
    table[physical] = [code(n) for n in names] if code else np.arange(len(names))
    return table[values.to_physical().to_numpy()], names


def _at_least(best: np.ndarray, stages: int) -> list[int]:
    """How many entries of `best` (a stage index, -1 none) are at each stage or later."""
    at = np.bincount(best.astype(np.intp) + 1, minlength=stages + 1)[1:]
    return [int(v) for v in np.cumsum(at[::-1])[::-1]]


def _presence(log: _Log, agg: CountsAggregator) -> None:
    """Enters and leaves per buyer in seq order (a stable sort by buyer code): +1 an enter
    of an absent buyer, -1 a leave of a present one; dwell on leaves; the online count
    after each change; who is present at the end and since when."""
    enter = log.code == _CODE[E.ENTER]
    rows = np.flatnonzero(enter | (log.code == _CODE[E.LEAVE]))  # the moves, in seq order
    order = np.argsort(log.who[rows], kind="stable")  # … grouped by buyer
    pick = rows[order]
    who = log.who[pick]
    state = enter[pick].astype(np.int8)  # 1 enter, 0 leave
    same = np.r_[False, who[1:] == who[:-1]]
    prev = np.where(same, np.r_[0, state[:-1]], 0).astype(np.int8)
    delta = state - prev
    # within one buyer's run, the last +1 is the entry the fold remembers
    us = log.rows["us"].to_numpy()[pick]
    run_start = us[np.maximum.accumulate(np.where(delta == 1, np.arange(len(delta)), 0))]
    num = log.num[pick]
    given = (state == 0) & ~np.isnan(num)
    since_entry = (state == 0) & np.isnan(num) & (prev == 1)
    dwell = np.concatenate([num[given], (us[since_entry] - run_start[since_entry]) / 1e6])
    agg.dwell_visits = len(dwell)
    agg.dwell_seconds = float(np.clip(dwell, 0.0, None).sum()) if len(dwell) else 0.0
    last = np.r_[who[1:] != who[:-1], True] if len(who) else np.zeros(0, bool)
    agg.present_since = run_start[last & (state == 1)]
    changes = np.zeros(len(rows), np.int64)  # back in seq order
    changes[order] = delta
    _online(log.rows, rows, np.cumsum(changes), agg)


def _online(log: pl.DataFrame, moves: np.ndarray, online: np.ndarray,
            agg: CountsAggregator) -> None:
    """online_at[minute] is the online count after the minute's last event (seq order):
    after the last move at or before that event."""
    if len(online):
        agg.peak_online = max(0, int(online.max()))
    last = log.with_row_index("row").group_by("minute").agg(pl.col("row").max())
    before = np.searchsorted(moves, last["row"].to_numpy(), side="right")
    counts = np.where(before > 0, online[np.maximum(before - 1, 0)] if len(online) else 0, 0)
    agg.online_at = {_at(int(m) * _MINUTE_US): int(n)
                     for m, n in zip(last["minute"].to_list(), counts, strict=True)}


def _per_minute(minutes: pl.Series) -> Counter[datetime]:
    return Counter({_at(m * _MINUTE_US): int(n)
                    for m, n in minutes.value_counts().iter_rows()})


def _at(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)
