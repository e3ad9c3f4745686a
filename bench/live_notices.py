"""Live change notices over Redis pub/sub: how long a notice published by one server
process takes to reach a page open on another (two broadcasters, two connections, one
Redis; the time includes the pages' 50 ms coalescing window).

    .venv/bin/python -m bench.live_notices [--redis redis://127.0.0.1:6379/15] [--n 200]"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

from liveroom.adapters.redis.broadcast_redis import RedisBroadcaster
from liveroom.console.ports import Change


async def measure(url: str, n: int) -> list[float]:
    prefix = f"bench:live:{uuid.uuid4().hex[:8]}"
    one, two = RedisBroadcaster(url, prefix), RedisBroadcaster(url, prefix)
    await one.start()
    await two.start()
    page = two.subscribe("s1")
    took: list[float] = []
    try:
        for _ in range(n):
            began = time.perf_counter()
            one.publish("s1", Change(frozenset({"lineup"})))
            async for _change in page.changes(2.0):
                break
            took.append((time.perf_counter() - began) * 1000)
    finally:
        await one.close()
        await two.close()
    return sorted(took)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    ms = asyncio.run(measure(args.redis, args.n))
    print(f"notice latency, one process to another: median {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(len(ms) * 0.95)]:.1f} ms, max {ms[-1]:.1f} ms over {len(ms)}")


if __name__ == "__main__":
    main()
