"""Two console operators acting on the same row at once: each move happens exactly once."""

from __future__ import annotations

import threading

from liveroom.console.commands import AdvanceLadder
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM, Actor, Role
from tests import factories as f


def race(n: int, action) -> list:
    barrier = threading.Barrier(n)
    results: list = []

    def run() -> None:
        barrier.wait()
        try:
            results.append(action())
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test counts
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def test_two_operators_advancing_one_ladder_take_two_steps(client, tokens, container):
    # given a live show with a two-step price ladder on the pan
    sid, sku = f.live_session_with(client, tokens, live_price_fen=19900, cost_fen=8000)
    lid = client.post(f"/api/v1/sessions/{sid}/ladders", headers=tokens["console"], json={
        "sku_id": sku, "steps": [{"after_sold": 100, "price_fen": 17900},
                                 {"after_sold": 200, "price_fen": 15900}]}).json()["id"]
    user = container.bus.handle(AddUser("racer", "console"), SYSTEM)
    actor = Actor(user["id"], "racer", Role.CONSOLE)
    # when two operators press "next step" at the same moment
    results = race(2, lambda: container.bus.handle(AdvanceLadder(lid), actor))
    # then one took step 1 and the other step 2, and the price is the last step's
    assert sorted(r["step"] for r in results) == [1, 2], results
    lineup = client.get(f"/api/v1/sessions/{sid}/lineup", headers=tokens["host"]).json()
    assert lineup["items"][0]["live_price_fen"] == 15900
