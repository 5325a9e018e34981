"""Health endpoints, as a load balancer or an orchestrator probes them."""

from __future__ import annotations

import httpx

from tests.fixtures.server import Server


async def test_healthz_says_the_process_is_up(http) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_the_database(http) -> None:
    response = await http.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"


async def test_a_real_server_is_ready(live_server: Server) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        healthz = await client.get(live_server.url + "/healthz")
        readyz = await client.get(live_server.url + "/readyz")
    assert healthz.json() == {"status": "ok"}
    assert readyz.status_code == 200
    assert readyz.json()["checks"]["database"] == "ok"
