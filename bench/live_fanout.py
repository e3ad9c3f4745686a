"""Live-feed fan-out: N open console/big-screen pages (SSE on /feed/{sid}/console and
/feed/{sid}/dashboard, half each) and V viewers' live pages (SSE on /live/{sid}/feed, the
pushed shelf) against the real server (`liveroom serve`, SQLite) while a load posts
comments and price changes.

Measured: from a price change (the API call returned) to its fragment (the new price)
arriving at every subscriber, p50/p99; the server's CPU (its process tree, from
/proc/<pid>/stat) per wall second in three phases: load alone, pages alone (they redraw
the clock-driven parts every second), both; and a console action (the console's own form
route) to the new price on every open viewer's shelf.

    .venv/bin/python -m bench.live_fanout [--subscribers 200] [--viewers 200] [--seconds 12]

All clients share one Python process (one core of two): the client's own reading of
N streams is inside the latency figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from bench.console_actions import setup
from bench.serving import CLI, free_port, operator_token, wait_healthy

from liveroom.entrypoints.api.web_base import csrf_for

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """user+system CPU of a process and all its descendants (granian runs workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            parents[int(entry.name)] = int(fields[1])
    family, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    total = 0
    for p in family:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / TICKS


def pct(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 1)


class Subscriber:
    """One open page: remembers when each SSE event arrived and what it carried."""

    news: asyncio.Event | None = None  # set whenever any page gets an event

    def __init__(self, view: str) -> None:
        self.view = view
        self.events: list[tuple[float, str]] = []
        self.connected = asyncio.Event()

    async def run(self, client: httpx.AsyncClient, sid: str) -> None:
        path = f"/live/{sid}/feed" if self.view == "viewer" else f"/feed/{sid}/{self.view}"
        async with client.stream("GET", path) as r:
            r.raise_for_status()
            data: list[str] = []
            async for line in r.aiter_lines():
                if line.startswith("data: "):
                    data.append(line[6:])
                elif not line and data:
                    self.events.append((time.perf_counter(), "\n".join(data)))
                    data = []
                    self.connected.set()
                    if Subscriber.news is not None:
                        Subscriber.news.set()

    def arrival(self, markers: list[str], after: float) -> tuple[float, bool] | None:
        """When the page first showed this change or a later one (notices coalesce: a
        page that redraws after two changes shows only the second), and whether it was
        this one."""
        for t, html in self.events:
            if t >= after and any(m in html for m in markers):
                return t, markers[0] in html
        return None


async def load(client: httpx.AsyncClient, sid: str, sku: str, seconds: float,
               changes: list[tuple[float, float, str]], price_every: float,
               comments_per_s: float) -> None:
    """Price changes every `price_every` s (each a new price) and, independently, a batch
    of 5 comments `comments_per_s` times a second."""
    end = time.perf_counter() + seconds

    async def prices() -> None:
        while time.perf_counter() < end:
            fen = 17000 + len(changes) * 7 + 1
            sent = time.perf_counter()
            r = await client.post(f"/api/v1/sessions/{sid}/skus/{sku}/price",
                                  json={"price_fen": fen})
            r.raise_for_status()
            changes.append((sent, time.perf_counter(), f"¥{fen // 100}.{fen % 100:02d}"))
            await asyncio.sleep(max(0.0, price_every - (time.perf_counter() - sent)))

    async def comments() -> None:
        i = 0
        while time.perf_counter() < end:
            r = await client.post(f"/api/v1/sessions/{sid}/comments", json={"comments": [
                {"buyer_id": f"b{i}-{k}", "nickname": f"观众{k}", "text": "这个锅多少钱？"}
                for k in range(5)]})
            assert r.status_code == 202, r.text
            i += 1
            await asyncio.sleep(1 / comments_per_s)

    await asyncio.gather(prices(), comments())


async def cpu_phase(pid: int, seconds: float, work: Any = None) -> float:
    """Server CPU seconds per wall second while `work` runs (or while idle)."""
    c0, t0 = tree_cpu_seconds(pid), time.perf_counter()
    if work is None:
        await asyncio.sleep(seconds)
    else:
        await work
    return round((tree_cpu_seconds(pid) - c0) / (time.perf_counter() - t0), 2)


async def shelf_latency(client: httpx.AsyncClient, sid: str, sku: str, token: str,
                        rounds: int, viewers: list[Subscriber]
                        ) -> tuple[list[float], list[float], list[float], int]:
    """Console form price change → the new price on every open viewer's shelf (pushed)."""
    headers = {"X-CSRF-Token": csrf_for(token), "HX-Request": "true"}
    action, every, worst, missed = [], [], [], 0
    assert Subscriber.news is not None
    for i in range(rounds):
        fen = 18000 + i * 3 + 2
        marker = f"¥{fen // 100}.{fen % 100:02d}"
        t0 = time.perf_counter()
        r = await client.post(f"/console/{sid}/price/{sku}", headers=headers,
                              data={"price": f"{fen / 100:.2f}"})
        assert r.status_code == 200 and "row-ok" in r.text, r.text
        action.append((time.perf_counter() - t0) * 1000)
        while True:
            Subscriber.news.clear()
            arrivals = [v.arrival([marker], t0) for v in viewers]
            if all(arrivals) or time.perf_counter() - t0 > 10:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(Subscriber.news.wait(), 1)
        got = [(a[0] - t0) * 1000 for a in arrivals if a is not None]
        missed += len(viewers) - len(got)
        every += got
        if got:
            worst.append(max(got))
    return action, every, worst, missed


async def measure(base: str, token: str, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {token}"}
    Subscriber.news = asyncio.Event()
    limits = httpx.Limits(max_connections=args.subscribers + args.viewers + 10)
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=30) as api, \
            httpx.AsyncClient(base_url=base, cookies={"liveroom_token": token},
                              timeout=httpx.Timeout(30, read=None), limits=limits) as feeds:
        sid, sku = await asyncio.to_thread(
            lambda: setup(httpx.Client(base_url=base, headers=auth, timeout=30)))
        (await api.post(f"/api/v1/sessions/{sid}/skus/{sku}/list")).raise_for_status()
        # the big screen shows the price of the product being explained
        (await api.post(f"/api/v1/sessions/{sid}/explaining", json={"sku_id": sku})
         ).raise_for_status()
        scratch: list[tuple[float, float, str]] = []
        out: dict[str, Any] = {"cpu_load_alone": await cpu_phase(pid, args.seconds, load(
            api, sid, sku, args.seconds / 3, scratch, args.price_every, args.comments))}
        subs = [Subscriber("console" if k % 2 == 0 else "dashboard")
                for k in range(args.subscribers)]
        viewers = [Subscriber("viewer") for _ in range(args.viewers)]
        # viewers' pages are public: the feeds client's cookie changes nothing for them
        tasks = [asyncio.create_task(s.run(feeds, sid)) for s in [*subs, *viewers]]
        await asyncio.wait_for(asyncio.gather(
            *(s.connected.wait() for s in [*subs, *viewers])), 60)
        out["cpu_subscribers_idle"] = await cpu_phase(pid, args.seconds / 3)
        changes: list[tuple[float, float, str]] = []
        out["cpu_subscribers_and_load"] = await cpu_phase(pid, args.seconds, load(
            api, sid, sku, args.seconds, changes, args.price_every, args.comments))
        await asyncio.sleep(3)  # let the last change reach everyone
        every, worst, missed, superseded = [], [], 0, 0
        for n, (sent, returned, _) in enumerate(changes):
            markers = [m for _, _, m in changes[n:]]
            arrivals = [s.arrival(markers, sent) for s in subs]
            got = [(a[0] - returned) * 1000 for a in arrivals if a is not None]
            superseded += sum(1 for a in arrivals if a is not None and not a[1])
            missed += len(arrivals) - len(got)
            every += got
            if got:
                worst.append(max(got))
        out |= {"changes": len(changes), "missed": missed, "superseded": superseded,
                "early": sum(1 for x in every if x < 0),
                "fanout_p50": pct(every, 0.5), "fanout_p99": pct(every, 0.99),
                "all_p50": pct(worst, 0.5), "all_p99": pct(worst, 0.99)}
        # the console action → shelf phase: the viewers' pages stay open, the operators'
        # pages close (their clock ticks would be the client's work, not the server's)
        operators, tasks = tasks[:len(subs)], tasks[len(subs):]
        for t in operators:
            t.cancel()
        await asyncio.gather(*operators, return_exceptions=True)
        async with httpx.AsyncClient(base_url=base, cookies={"liveroom_token": token},
                                     timeout=30) as web:
            action, every, worst, missed = await shelf_latency(web, sid, sku, token,
                                                               args.rounds, viewers)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        out |= {"action_p50": pct(action, 0.5), "action_p99": pct(action, 0.99),
                "shelf_p50": pct(every, 0.5), "shelf_p99": pct(every, 0.99),
                "shelf_all_p50": pct(worst, 0.5), "shelf_all_p99": pct(worst, 0.99),
                "shelf_missed": missed}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=200)
    ap.add_argument("--viewers", type=int, default=200, help="open viewers' live pages")
    ap.add_argument("--seconds", type=float, default=12, help="the main (loaded) phase")
    ap.add_argument("--price-every", type=float, default=0.5)
    ap.add_argument("--comments", type=float, default=10, help="batches of 5 per second")
    ap.add_argument("--rounds", type=int, default=50, help="console action → shelf")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    env = {**os.environ, "LIVEROOM_VAR_DIR": str(work), "LIVEROOM_DATABASE_URL": "",
           "LIVEROOM_REDIS_URL": "", "LIVEROOM_ENV": os.environ.get("LIVEROOM_ENV", "development")}
    token = operator_token(env)
    port = free_port()
    proc = subprocess.Popen([CLI, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        r = asyncio.run(measure(base, token, proc.pid, args))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    load1, load5, _ = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')} · {os.cpu_count()} cores · load average "
          f"{load1:.2f}/{load5:.2f} (1/5 min, shared machine) · {args.subscribers} SSE "
          f"subscribers (half console, half big screen) + {args.viewers} viewers' live pages "
          "· SQLite, granian 1 worker")
    print(f"price change every {args.price_every}s + {args.comments * 5:.0f} comments/s; "
          f"{r['changes']} price changes, {r['missed']} (change, subscriber) pairs never "
          f"shown, {r['superseded']} shown only as a later price (coalesced), "
          f"{r['early']} arrived before the API call returned")
    print("| measure | p50 ms | p99 ms |\n|---|---:|---:|")
    print(f"| change → fragment at one subscriber | {r['fanout_p50']} | {r['fanout_p99']} |")
    print(f"| change → fragment at every subscriber | {r['all_p50']} | {r['all_p99']} |")
    print(f"| console price form (action) | {r['action_p50']} | {r['action_p99']} |")
    print(f"| console action → new price on one viewer's shelf | {r['shelf_p50']} | "
          f"{r['shelf_p99']} |")
    print(f"| console action → new price on every viewer's shelf | {r['shelf_all_p50']} | "
          f"{r['shelf_all_p99']} |")
    print(f"({r['shelf_missed']} (action, viewer) pairs never shown)")
    print("| server CPU (cores busy) | value |\n|---|---:|")
    for key in ("cpu_load_alone", "cpu_subscribers_idle", "cpu_subscribers_and_load"):
        print(f"| {key.replace('_', ' ')} | {r[key]} |")


if __name__ == "__main__":
    main()
