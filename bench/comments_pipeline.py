"""Whole comment pipeline: ingest → classify → FAQ → queue (and alerts, games, storage).

    PYTHONPATH=src .venv/bin/python bench/comments_pipeline.py inproc [--rate 5000] [--seconds 10]
    PYTHONPATH=src .venv/bin/python bench/comments_pipeline.py http [--rate 5000] [--seconds 10]

``inproc`` drives ``CommentPipeline`` in one event loop on a temporary SQLite database (the
same code path as the HTTP route after validation). ``http`` starts ``liveroom serve`` on a
free port and posts batches with httpx, measuring each request until its 202 (which comes
after the commit). Stream: a realistic live room — 45 % hot repeats ("扣1", "尺码怎么选",
"多少钱" …), the rest varied questions/chitchat with random numbers, 2,000 distinct viewers;
a session FAQ of 6 Chinese entries, or 10 with ``--faq mixed`` (4 English ones); lexical
matching unless ``--encoder``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HOT = ["扣1", "尺码怎么选", "多少钱", "666", "什么时候发货", "付不了款", "要了", "主播好美",
       "链接在哪", "有优惠券吗"]
VARIED = ["{n}号链接还有吗", "这个锅能用电磁炉吗{n}", "身高16{n}穿什么码", "包邮吗到{n}号能到吗",
          "哈哈哈主播今天{n}点下播吗", "上次买的{n}个碗碎了怎么退", "is the {n} pan non-stick?",
          "第{n}次来直播间了", "优惠券用不了第{n}次了", "蹲{n}号"]
FAQ = [("ship", "什么时候发货", "付款后48小时内发货"), ("size", "尺码怎么选", "看详情页尺码表"),
       ("coupon", "有优惠券吗", "点左下角领券"), ("post", "包邮吗", "全国包邮，偏远地区除外"),
       ("stove", "能用电磁炉吗", "燃气电磁炉通用"), ("price", "多少钱", "直播间价 199 元")]
# --faq mixed: the realistic set for a bilingual room (the encoder matches across languages).
FAQ_EN = [("ship_en", "when will it ship?", "Within 48 hours of payment."),
          ("size_en", "which size should I pick?", "See the size chart on the product page."),
          ("stick_en", "is the pan non-stick?", "Yes, a ceramic non-stick coating."),
          ("return_en", "can I return it?", "7-day no-reason returns, shipping insured.")]


def stream(n: int, rng: random.Random, rate: int = 5000) -> list[dict[str, Any]]:
    # Event times spread at the offered rate, so the alert windows hold what they would live.
    start = datetime.now(UTC) - timedelta(seconds=n / rate)
    out = []
    for i in range(n):
        now = (start + timedelta(seconds=i / rate)).isoformat()
        text = (rng.choice(HOT) if rng.random() < 0.45
                else rng.choice(VARIED).format(n=rng.randint(1, 9999)))
        buyer = f"v{rng.randint(1, 2000)}"
        out.append({"buyer_id": buyer, "nickname": buyer, "text": text, "ts": now})
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def weighted(pairs: list[tuple[float, int]]) -> list[float]:
    return [lat for lat, count in pairs for _ in range(count)]


def setup_inproc(encoder: bool, faq: str = "zh") -> tuple[Any, str]:
    os.environ["LIVEROOM_COMMENTS_USE_ENCODER"] = "1" if encoder else "0"
    from fastapi.testclient import TestClient

    from liveroom.bootstrap import bootstrap
    from liveroom.config import Settings
    from liveroom.entrypoints.api.app import create_app
    from liveroom.identity.handlers import AddUser
    from liveroom.identity.model import SYSTEM

    tmp = Path(tempfile.mkdtemp(prefix="lr-bench-"))
    c = bootstrap(Settings(database_url=f"sqlite:///{tmp / 'bench.db'}", var_dir=tmp))
    token = c.bus.handle(AddUser("bench-admin", "admin"), SYSTEM)["token"]
    with TestClient(create_app(c)) as client:
        sid = make_session(client, {"Authorization": f"Bearer {token}"}, faq)
    return c, sid


def make_session(client: Any, headers: dict[str, str], faq: str = "zh") -> str:
    r = client.post("/api/v1/sessions", headers=headers, json={
        "title": "bench", "theme": "kitchen", "scheduled_start": "2026-11-27T19:00:00+08:00",
        "duration_minutes": 120, "targets": {"gmv_fen": 1, "viewers": 1,
                                             "conversion_rate": 0.1}})
    sid = str(r.json()["id"])
    r = client.put(f"/api/v1/sessions/{sid}/faq", headers=headers, json={"entries": [
        {"id": i, "question": q, "answer": a}
        for i, q, a in (FAQ + FAQ_EN if faq == "mixed" else FAQ)]})
    assert r.status_code == 200, r.text
    return sid


async def drive_inproc(c: Any, sid: str, rate: int, seconds: float, batch: int) -> None:
    from liveroom.comments.ingest import validate_batch

    pipeline = c.comment_pipeline
    await pipeline.start()
    rng = random.Random(7)
    items = stream(int(rate * seconds), rng, rate)
    valid, _ = validate_batch(items, datetime.now(UTC))
    await pipeline.submit(sid, valid[:batch])  # warm the room (model load, FAQ)
    pipeline.to_queue.clear()
    pipeline.to_commit.clear()
    interval = batch / rate
    start = time.perf_counter()
    futures = []
    for i in range(0, len(valid), batch):
        target = start + (i // batch) * interval
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        futures.append(pipeline.enqueue(sid, valid[i:i + batch], "bench"))
    await asyncio.gather(*futures)
    elapsed = time.perf_counter() - start
    report("in-process", len(valid), elapsed, weighted(list(pipeline.to_queue)),
           weighted(list(pipeline.to_commit)))
    await pipeline.stop()


def report(mode: str, n: int, elapsed: float, to_queue: list[float],
           to_commit: list[float]) -> None:
    print(f"{mode}: {n} comments in {elapsed:.2f} s = {n / elapsed:,.0f} comments/s")
    for name, values in (("arrival→queue", to_queue), ("arrival→committed (202)", to_commit)):
        if values:
            ms = [v * 1000 for v in values]
            print(f"  {name:26s} p50 {pct(ms, .5):6.1f} ms  p99 {pct(ms, .99):6.1f} ms  "
                  f"max {max(ms):6.1f} ms  mean {statistics.fmean(ms):6.1f} ms")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def drive_http(rate: int, seconds: float, batch: int, encoder: bool,
                     faq: str = "zh") -> None:
    import httpx

    tmp = Path(tempfile.mkdtemp(prefix="lr-bench-http-"))
    env = {**os.environ, "LIVEROOM_ENV": "development", "LIVEROOM_VAR_DIR": str(tmp),
           "LIVEROOM_COMMENTS_USE_ENCODER": "1" if encoder else "0"}
    exe = str(Path(sys.executable).parent / "liveroom")
    token = subprocess.run([exe, "user", "add", "bench", "--role", "admin"], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    port = free_port()
    server = subprocess.Popen([exe, "serve", "--port", str(port)], env=env)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers,
                                     timeout=30) as client:
            for _ in range(100):
                try:
                    if (await client.get("/api/v1/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            sid = await asyncio.to_thread(make_session, httpx.Client(
                base_url=f"http://127.0.0.1:{port}", headers=headers), headers, faq)
            items = stream(int(rate * seconds), random.Random(7), rate)
            await client.post(f"/api/v1/sessions/{sid}/comments",
                              json={"comments": items[:batch]})  # warm-up
            latencies: list[tuple[float, int]] = []

            async def send(chunk: list[dict[str, Any]]) -> None:
                t0 = time.perf_counter()
                r = await client.post(f"/api/v1/sessions/{sid}/comments",
                                      json={"comments": chunk})
                assert r.status_code == 202, r.text
                latencies.append((time.perf_counter() - t0, len(chunk)))

            start, tasks = time.perf_counter(), []
            for i in range(0, len(items), batch):
                delay = start + (i // batch) * batch / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(send(items[i:i + batch])))
            await asyncio.gather(*tasks)
            report("HTTP (liveroom serve, 1 worker)", len(items), time.perf_counter() - start,
                   [], weighted(latencies))
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["inproc", "http"])
    parser.add_argument("--rate", type=int, default=5000, help="comments per second offered")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batch", type=int, default=50, help="comments per request")
    parser.add_argument("--encoder", action="store_true", help="multilingual FAQ encoder")
    parser.add_argument("--faq", choices=["zh", "mixed"], default="zh",
                        help="session FAQ: 6 Chinese entries, or those plus 4 English ones")
    args = parser.parse_args()
    print(f"offered {args.rate}/s in batches of {args.batch} for {args.seconds:.0f} s, "
          f"encoder={'on' if args.encoder else 'off'}, faq={args.faq}, cpus={os.cpu_count()}")
    if args.mode == "inproc":
        c, sid = setup_inproc(args.encoder, args.faq)
        asyncio.run(drive_inproc(c, sid, args.rate, args.seconds, args.batch))
    else:
        asyncio.run(drive_http(args.rate, args.seconds, args.batch, args.encoder, args.faq))


if __name__ == "__main__":
    main()
