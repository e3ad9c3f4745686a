"""Compacted Parquet segments of the tracking log: a local, rebuildable cache.

The log is append-only (database triggers) and a row at or below the settled seq can no
longer change or appear, so a settled range of a session's rows can be written once to
a Parquet file and read back in milliseconds instead of re-reading the database. The
database stays the record: a missing, unreadable or unwritable directory only means the
rows are read from the database again. A segment named `<after>-<upto>.coded.parquet`
holds the session's rows with after < seq ≤ upto, buyers coded (metrics.buyers): `who` in
every row, and the id in `new_buyer` on the row where a code first appears in the log, so
the segments carry their own dictionary. Event type, channel and SKU are categorical.
(Segments of the earlier format, `<after>-<upto>.parquet`, are ignored.)"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import polars as pl

from liveroom.adapters.sql.tracking_log import read_log
from liveroom.metrics.buyers import CODED, CodedLog, code_buyers, no_buyers

log = logging.getLogger(__name__)
SEGMENT_ROWS = 100_000  # compact once this many settled rows are outside any segment
_NAME = re.compile(r"^(\d{12})-(\d{12})\.coded\.parquet$")
_CATEGORICAL = ("type", "channel", "sku_id")


class LogSegments:
    def __init__(self, root: Path, segment_rows: int = SEGMENT_ROWS) -> None:
        self.root = root
        self.segment_rows = segment_rows

    def read(self, conn: Any, sid: str, recent_from: Any) -> pl.DataFrame:
        """The session's whole log (as tracking_log.read_log returns it): the segments in
        seq order, then the rows after them from the database; settled rows of a long tail
        become a new segment for the next reader."""
        folder = self.root / _safe(sid)
        scans, upto = self._chain(folder)
        known = _buyers(scans)
        tail = read_log(conn, sid, upto, recent_from)
        settled = _settled(tail)
        if settled.height >= self.segment_rows:
            self._write(folder, upto, settled, known)
        if not scans:
            return tail
        segments = pl.concat(scans).collect()
        ids = known.sort("who")["buyer_id"].gather(segments["who"])
        plain = segments.with_columns(ids, *(pl.col(c).cast(pl.String) for c in _CATEGORICAL),
                                      pl.lit(False).alias("recent"))
        return pl.concat([plain.select(tail.columns), tail])

    def scan(self, conn: Any, sid: str) -> CodedLog:
        """The session's whole log with buyers coded: the segments scanned, not loaded, so
        that a reader that needs a few columns or aggregates reads only those; then the rows
        after them from the database, coded against the segments' buyers."""
        folder = self.root / _safe(sid)
        scans, upto = self._chain(folder)
        known = _buyers(scans)
        tail, fresh = code_buyers(read_log(conn, sid, upto), known)
        events = [s.select(CODED) for s in scans]
        events.append(_categorical(tail.select(CODED)).lazy())
        return CodedLog(pl.concat(events), pl.concat([known, fresh]))

    def seqs_of(self, sid: str, buyer_id: str) -> tuple[list[int], int]:
        """The seqs of one buyer's events in the segments, and the seq the segments end at
        (the buyer's later events are in the database only)."""
        scans, upto = self._chain(self.root / _safe(sid))
        if not scans:
            return [], 0
        events = pl.concat(scans)
        code = events.filter(pl.col("new_buyer") == buyer_id).select("who").collect()
        if code.height == 0:
            return [], upto
        seqs = events.filter(pl.col("who") == code["who"][0]).select("seq").collect()
        return seqs["seq"].to_list(), upto

    def compact(self, conn: Any, sid: str, settled: int) -> None:
        """During a show: once `segment_rows` of the session's settled rows lie past the last
        segment, write them as the next one, so that the review at the end and a restart
        read the database only for the last minutes."""
        folder = self.root / _safe(sid)
        if settled - self._chain_end(folder) < self.segment_rows:  # seq is global: an
            return  # upper bound of the rows; the names alone tell, no file is opened
        scans, upto = self._chain(folder)
        rows = read_log(conn, sid, upto)
        rows = rows.filter(pl.col("seq") <= settled)
        if rows.height >= self.segment_rows:
            self._write(folder, upto, rows, _buyers(scans))

    def append(self, sid: str, rows: pl.DataFrame) -> None:
        """Write `rows` (LOG_SCHEMA, settled, in seq order, after every segment of the
        session) as the session's next segment."""
        folder = self.root / _safe(sid)
        scans, upto = self._chain(folder)
        self._write(folder, upto, rows, _buyers(scans))

    def _chain_end(self, folder: Path) -> int:
        spans = self._spans(folder)
        at = 0
        while at in spans:
            at = spans[at]
        return at

    def _spans(self, folder: Path) -> dict[int, int]:
        spans: dict[int, int] = {}
        if folder.is_dir():
            for path in folder.iterdir():
                m = _NAME.match(path.name)
                if m:
                    after, upto = int(m[1]), int(m[2])
                    spans[after] = max(spans.get(after, after), upto)
        return spans

    def _chain(self, folder: Path) -> tuple[list[pl.LazyFrame], int]:
        """Contiguous segments from seq 0 (of two starting at one place, the longer), as lazy
        scans, and the seq they end at. A damaged file ends the chain and is removed, so
        that the next compaction writes it again."""
        spans = self._spans(folder)
        scans, at = [], 0
        while at in spans:
            path = folder / f"{at:012d}-{spans[at]:012d}.coded.parquet"
            try:
                scan = pl.scan_parquet(path)
                scan.collect_schema()  # reads the footer: a damaged file fails here
            except (OSError, pl.exceptions.ComputeError) as exc:
                log.warning("log segment %s unreadable, reading the database: %s", path, exc)
                path.unlink(missing_ok=True)
                break
            scans.append(scan)
            at = spans[at]
        return scans, at

    def _write(self, folder: Path, after: int, rows: pl.DataFrame,
               known: pl.DataFrame) -> None:
        upto = int(rows["seq"].max())  # type: ignore[arg-type]
        target = folder / f"{after:012d}-{upto:012d}.coded.parquet"
        temp = folder / f".{target.name}.{os.getpid()}.tmp"
        coded, fresh = code_buyers(rows, known)
        first = pl.col("who") >= known.height
        segment = _categorical(coded.select(
            *CODED, pl.when(first & pl.col("who").is_first_distinct()).then(pl.col("buyer_id"))
            .alias("new_buyer")))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            segment.write_parquet(temp)
            os.replace(temp, target)  # readers see a whole file or none
        except OSError as exc:
            log.warning("log segment %s not written (the database is read instead): %s",
                        target, exc)


def _buyers(scans: list[pl.LazyFrame]) -> pl.DataFrame:
    """Every buyer of the segments with their code, from the rows where a code first
    appears."""
    if not scans:
        return no_buyers()
    return (pl.concat([s.select("new_buyer", "who") for s in scans])
            .filter(pl.col("new_buyer").is_not_null())
            .select(pl.col("new_buyer").alias("buyer_id"), "who").collect())


def _categorical(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).cast(pl.Categorical) for c in _CATEGORICAL)


def _settled(tail: pl.DataFrame) -> pl.DataFrame:
    """The prefix of rows that arrived before the horizon (none recent before them)."""
    recent = tail["recent"]
    if not recent.any():
        return tail
    return tail.head(int(recent.arg_max()))  # type: ignore[arg-type]


def _safe(sid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", sid)
