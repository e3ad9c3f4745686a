"""schemathesis against the OpenAPI of a real server (`liveroom serve`) on SQLite and on
PostgreSQL, with real ids (a product, a live session, a running flash sale, an order, a
coupon) and valid tokens, so that generated requests reach the code behind the 404s and 401s.
No generated request may get a 5xx. Bounded and derandomised for CI: a few examples per
operation, the same ones every run."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase

from liveroom.identity.model import issue_buyer_jwt
from tests.conftest import _drop_pg, _pg_database
from tests.faultkit import admin_token, live_sale
from tests.servers import free_port, kill_group, serve

pytestmark = pytest.mark.slow
SECRET = "fuzz-secret-0123456789-0123456789-012345"
EXAMPLES = int(os.environ.get("LIVEROOM_FUZZ_EXAMPLES", "4"))
# Routes a buyer calls (a buyer JWT); every other route gets the admin's token.
BUYER_ROUTES = {("POST", "/api/v1/flash-sales/{fid}/purchases"),
                ("POST", "/api/v1/sessions/{sid}/orders"),
                ("POST", "/api/v1/coupons/{cid}/claim"),
                ("POST", "/api/v1/orders/{oid}/pay"),
                ("POST", "/api/v1/orders/{oid}/cancel"),
                ("POST", "/api/v1/sessions/{sid}/reservations"),
                ("GET", "/api/v1/orders/{oid}")}


def _seed(base: str, admin: dict[str, str], buyer: dict[str, str]) -> dict[str, str]:
    """Real ids for the path parameters, by parameter name."""
    ids = live_sale(base, admin, 50)
    with httpx.Client(base_url=base + "/api/v1", headers=admin, timeout=60) as c:
        coupon = c.post(f"/sessions/{ids['sid']}/coupons", json={
            "name": "满100减10", "kind": "threshold", "discount_fen": 1000,
            "threshold_fen": 10000, "total": 100})
        coupon.raise_for_status()
        order = c.post(f"/flash-sales/{ids['fid']}/purchases", json={"quantity": 1},
                       headers={**buyer, "Idempotency-Key": "seed"})
        order.raise_for_status()
        # tokens of this one may be revoked by the fuzzer, not the admin's it runs with
        c.post("/users", json={"name": "fuzz-other", "role": "ops"}).raise_for_status()
    return {**ids, "cid": coupon.json()["id"], "oid": order.json()["order_id"],
            "name": "fuzz-other", "buyer_id": "fuzz-buyer"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'fuzz.db'}" if request.param == "sqlite" else _pg_database()
    env = {**os.environ, "LIVEROOM_DATABASE_URL": url, "LIVEROOM_VAR_DIR": str(tmp_path),
           "LIVEROOM_STOCK_BACKEND": "memory", "LIVEROOM_REDIS_URL": "",
           "LIVEROOM_BUYER_SECRET": SECRET, "LIVEROOM_ENV": "development"}
    admin = admin_token(env, "fuzz-admin")
    port = free_port()
    proc = serve(env, port, log=tmp_path / "serve.log")
    base = f"http://127.0.0.1:{port}"
    buyer = {"Authorization": "Bearer " + issue_buyer_jwt(
        "fuzz-buyer", SECRET, datetime.now(UTC), timedelta(hours=1))}
    try:
        yield {"base": base, "admin": admin, "buyer": buyer,
               "ids": _seed(base, admin, buyer), "log": tmp_path / "serve.log"}
    finally:
        kill_group(proc)
        if request.param == "postgres":
            _drop_pg(url)


def _fuzz(operation: Any, srv: dict[str, Any], failures: list[str],
          seen: Counter[int]) -> None:
    headers = srv["buyer"] if (operation.method.upper(), operation.path) in BUYER_ROUTES \
        else srv["admin"]

    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                         derandomize=True, phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @hypothesis.given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if case.headers:  # our valid token, not a generated one (auth fuzzing: security)
            for name in [h for h in case.headers if h.lower() == "authorization"]:
                del case.headers[name]
        if case.path_parameters:
            for name in case.path_parameters:
                if name in srv["ids"]:
                    case.path_parameters[name] = srv["ids"][name]
        response = case.call(base_url=srv["base"], headers=headers, timeout=30)
        seen[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {case.method} {case.formatted_path} "
                            f"query={case.query} body={str(case.body)[:200]}")

    run()


def test_no_generated_request_gets_a_5xx(server: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_url(server["base"] + "/api/v1/openapi.json")
    failures: list[str] = []
    seen: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        _fuzz(operation, server, failures, seen)
    print(f"{operations} operations, responses by status: {dict(sorted(seen.items()))}")
    assert operations >= 80  # the whole API was exercised
    assert sum(n for status, n in seen.items() if status < 300) > operations  # real ids work
    assert not failures, "\n".join(failures[:30])
