"""Console action latency: how long a price change, a refused (wrong) price, a list/unlist
and an announcement take through HTTP against the real server (`liveroom serve`), SQLite.
The handbook asks for ≤ 10 s and aims well under 1 s.

    .venv/bin/python -m bench.console_actions [--rounds 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import httpx
from bench.serving import embedded_server, wait_healthy


def setup(c: httpx.Client) -> tuple[str, str]:
    p = c.post("/api/v1/products", json={
        "name": "不粘炒锅", "category": "厨具", "tier": "profit",
        "skus": [{"code": "BENCH-PAN", "spec": "28cm", "price_fen": 19900, "cost_fen": 8000,
                  "stock": 500}]}).json()
    sku = p["skus"][0]["id"]
    sid = c.post("/api/v1/sessions", json={
        "title": "bench", "scheduled_start": "2026-11-27T19:00:00+08:00",
        "duration_minutes": 120}).json()["id"]
    c.put(f"/api/v1/sessions/{sid}/lineup",
          json={"items": [{"sku_id": sku, "live_price_fen": 19900}]}).raise_for_status()
    c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
    return sid, sku


def timed(c: httpx.Client, rounds: int, call: Any) -> dict[str, float]:
    samples = []
    for i in range(rounds):
        t0 = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2),
            "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 2),
            "max_ms": round(samples[-1], 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=300)
    args = ap.parse_args()
    proc, base, token = embedded_server("bench-console-")
    try:
        wait_healthy(base, proc)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
            sid, sku = setup(c)
            url = f"/api/v1/sessions/{sid}/skus/{sku}"

            def price(i: int) -> None:
                r = c.post(url + "/price", json={"price_fen": 17900 + i % 50})
                assert r.status_code == 200, r.text

            def refused(i: int) -> None:
                r = c.post(url + "/price", json={"price_fen": 1900})
                assert r.status_code == 422, r.text

            def toggle(i: int) -> None:
                c.post(url + ("/list" if i % 2 == 0 else "/unlist")).raise_for_status()

            def announce(i: int) -> None:
                c.post(f"/api/v1/sessions/{sid}/announcements",
                       json={"text": f"公告 {i}"}).raise_for_status()

            results = {name: timed(c, args.rounds, fn) for name, fn in
                       (("change price", price), ("wrong price refused", refused),
                        ("list/unlist", toggle), ("announcement", announce))}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')} · {os.cpu_count()} cores · "
          f"{args.rounds} rounds each, one client, SQLite (WAL), granian 1 worker")
    print("| action | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} |")


if __name__ == "__main__":
    main()
