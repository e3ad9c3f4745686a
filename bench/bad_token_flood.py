"""Bad-token flood: do real buyers notice a bot hammering the purchase route with forged
tokens? The real server (`liveroom serve`, embedded back-end, 1 worker) takes a steady
stream of real buyers' flash-sale purchases (each a distinct, valid JWT) at a fixed rate;
in the flood rounds a second process sends forged-token purchases at >= 2,500/s next to
them. Forged tokens are refused by the HMAC check before any ledger or database work, so
the buyers' p99 should stay within 20 % of the quiet rounds. The bot is wrk (C, so that
the load generator does not eat the server's CPU; `apt-get install -y wrk`), 64 connections
each pausing 20 ms between requests: up to 3,200 forged purchases per second.

    .venv/bin/python -m bench.bad_token_flood                  # 3 quiet + 3 flood rounds
    .venv/bin/python -m bench.bad_token_flood --rounds 1 --seconds 5

Latency is measured open-loop (from when each request was due, not when it was sent), so
a stalled server cannot hide its queue. Rounds alternate quiet/flood to share the noise of
a busy machine; the verdict compares the median p99 of each kind."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from bench.flash_sale import setup_sale
from bench.flash_wrk import HEALTH_LUA, purchase_script, run_wrk
from bench.serving import CLI, free_port, operator_token, wait_healthy

SECRET = "bench-flood-buyer-secret-0123456789abcdef"
BOT_CONNECTIONS = 64


def tokens(n: int, secret: str, prefix: str) -> list[str]:
    now = datetime.now(UTC)
    return [jwt.encode({"sub": f"{prefix}{i}", "iat": int(now.timestamp()),
                        "exp": int((now + timedelta(hours=1)).timestamp())},
                       secret, algorithm="HS256") for i in range(n)]


def purchase(path: str, token: str, key: str) -> bytes:
    body = b'{"quantity": 1}'
    return (f"POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
            f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   raw: bytes) -> int:
    """One request on a kept-alive connection; the status code."""
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return int(head[9:12])


async def paced(port: int, requests: list[bytes], rate: float, connections: int
                ) -> tuple[list[float], dict[int, int], float]:
    """Send `requests` at `rate`/s over a pool of connections, open-loop: the latency of
    each is measured from its due time. (latencies in ms, statuses, achieved rate)."""
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    t0 = time.perf_counter()

    async def one(i: int, raw: bytes) -> None:
        due = t0 + i / rate
        conn = await pool.get()
        try:
            status = await exchange(*conn, raw)
        finally:
            pool.put_nowait(conn)
        latencies.append((time.perf_counter() - due) * 1000)
        statuses[status] = statuses.get(status, 0) + 1

    tasks = []
    for i, raw in enumerate(requests):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, raw)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    while not pool.empty():
        pool.get_nowait()[1].close()
    return latencies, statuses, len(requests) / elapsed


def p(values: list[float], q: int) -> float:
    return round(statistics.quantiles(values, n=100)[q - 1], 2)


def bot_lua(work: Path, path: str, delay_ms: int) -> str:
    """wrk's script: forged-signature tokens round-robin, each connection pausing
    `delay_ms` between requests (BOT_CONNECTIONS x 1000 / delay_ms per second at most)."""
    forged = work / "forged.txt"
    forged.write_text("\n".join(tokens(500, "not-the-secret-" + "x" * 32, "bot")) + "\n")
    return purchase_script(forged, path, "bot", threads=1) + (
        f"\nfunction delay() return {delay_ms} end\n")


def buyers_round(port: int, path: str, work: Path, round_no: int, rate: float,
                 seconds: float, bot_script: str) -> dict[str, Any]:
    n = int(rate * seconds)
    real = tokens(n, SECRET, f"r{round_no}-")
    raws = [purchase(path, tok, f"real-{round_no}-{i}") for i, tok in enumerate(real)]
    flood: dict[str, Any] = {}
    bot = None
    if bot_script:
        bot = threading.Thread(target=lambda: flood.update(run_wrk(
            f"http://127.0.0.1:{port}{path}", bot_script, work, connections=BOT_CONNECTIONS,
            seconds=math.ceil(seconds) + 1, threads=1)))
        bot.start()
        time.sleep(0.5)  # the flood is running before the first buyer arrives
    lat, statuses, achieved = asyncio.run(paced(port, raws, rate, 16))
    out: dict[str, Any] = {"kind": "flood" if bot_script else "quiet", "buyers": n,
                           "buyers_per_s": round(achieved, 1), "statuses": statuses,
                           "p50_ms": p(lat, 50), "p90_ms": p(lat, 90), "p99_ms": p(lat, 99)}
    if bot is not None:
        bot.join()
        out["flood"] = {"requests": flood["requests"], "per_s": round(flood["rps"]),
                        "statuses": flood["statuses"], "p99_ms": flood["p99_us"] / 1000,
                        "command": flood["command"]}
    return out


def ceilings(port: int, path: str, work: Path) -> dict[str, Any]:
    """What the server answers flat out (wrk, no pauses, 64 connections, 5 s): the health
    check (the floor of any request) and forged-token purchases. Close rates mean that a
    forged token costs about what any request costs to receive and answer."""
    base = f"http://127.0.0.1:{port}"
    health = run_wrk(base + "/api/v1/health", HEALTH_LUA, work, connections=64, seconds=5,
                     threads=1)
    forged = run_wrk(base + path, bot_lua(work, path, 0).replace(
        "function delay() return 0 end", ""), work, connections=64, seconds=5, threads=1)
    return {"health_per_s": round(health["rps"]), "forged_per_s": round(forged["rps"]),
            "forged_statuses": forged["statuses"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3, help="quiet+flood pairs")
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--rate", type=float, default=100, help="real buyers' purchases per s")
    ap.add_argument("--bot-delay-ms", type=int, default=20,
                    help=f"pause per bot connection ({BOT_CONNECTIONS} of them)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-flood-"))
    env = {**os.environ, "LIVEROOM_ENV": "development", "LIVEROOM_BUYER_SECRET": SECRET,
           "LIVEROOM_VAR_DIR": str(work), "LIVEROOM_DATABASE_URL": "",
           "LIVEROOM_REDIS_URL": "", "LIVEROOM_STOCK_BACKEND": "memory"}
    admin = {"Authorization": f"Bearer {operator_token(env)}"}
    port = free_port()
    server = subprocess.Popen([CLI, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server, seconds=120)
        fid = setup_sale(f"http://127.0.0.1:{port}", admin, 10**7, 1)
        path = f"/api/v1/flash-sales/{fid}/purchases"
        script = bot_lua(work, path, args.bot_delay_ms)
        print(json.dumps(ceilings(port, path, work)), flush=True)
        rounds = []
        for _ in range(args.rounds):
            for bot in ("", script):
                res = buyers_round(port, path, work, len(rounds), args.rate, args.seconds,
                                   bot)
                rounds.append(res)
                print(json.dumps(res), flush=True)
        quiet = statistics.median(x["p99_ms"] for x in rounds if x["kind"] == "quiet")
        flooded = statistics.median(x["p99_ms"] for x in rounds if x["kind"] == "flood")
        rates = [x["flood"]["per_s"] for x in rounds if "flood" in x]
        print(json.dumps({"quiet_p99_ms": quiet, "flood_p99_ms": flooded,
                          "ratio": round(flooded / quiet, 3), "flood_rates_per_s": rates,
                          "within_20_percent": flooded <= quiet * 1.2,
                          "load_average": os.getloadavg()}))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
