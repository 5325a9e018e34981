"""Failed logins are limited per login name from any address, and limits hold while Redis is down."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

import settings
from tests.factories import PASSWORD, Persona
from tests.fixtures.private_redis import PrivateRedis
from tests.fixtures.server import Server, start_server, stop_server

LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token } }"
REGISTER = "mutation Register($input: RegisterInput!) { register(input: $input) { token } }"


@pytest.fixture
def three_failures_per_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "RATE_LIMIT_LOGIN_NAME", "3/15 minutes")


@pytest.fixture
async def from_address(app) -> AsyncIterator[Callable[[str, str, dict], Awaitable[httpx.Response]]]:  # noqa: ANN001
    """post(address, query, variables): the HTTP answer to a GraphQL request from that client address."""
    clients: dict[str, httpx.AsyncClient] = {}

    async def post(address: str, query: str, variables: dict) -> httpx.Response:
        if address not in clients:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            clients[address] = httpx.AsyncClient(transport=transport, base_url="http://cercle.test")
        return await clients[address].post("/graphql", json={"query": query, "variables": variables})

    yield post
    for client in clients.values():
        await client.aclose()


def login_variables(login: str, password: str = "not the password") -> dict:
    return {"input": {"login": login, "password": password}}


def code_of(response: httpx.Response) -> str:
    body = response.json()
    return body["errors"][0]["extensions"]["code"] if body.get("errors") else "OK"


async def concurrent_wrong_logins(from_address, login: str, count: int) -> list[httpx.Response]:  # noqa: ANN001
    return await asyncio.gather(
        *(from_address(f"10.0.{i // 250}.{i % 250 + 1}", LOGIN, login_variables(login)) for i in range(count))
    )


async def test_wrong_passwords_from_many_addresses_are_limited_per_account(
    from_address, owner_alice: Persona, three_failures_per_name: None
):
    # given / when: 30 wrong passwords for alice at once, each from its own address
    answers = await concurrent_wrong_logins(from_address, "alice", 30)
    # then: three were checked, the others refused, and so is the right password now
    codes = [code_of(answer) for answer in answers]
    assert codes.count("UNAUTHENTICATED") == 3 and codes.count("RATE_LIMITED") == 27, codes
    right = await from_address("10.9.9.9", LOGIN, login_variables("alice", PASSWORD))
    assert code_of(right) == "RATE_LIMITED"


async def test_an_unknown_login_is_limited_the_same_way_as_an_account(
    from_address, owner_alice: Persona, three_failures_per_name: None
):
    # given / when: the same attempts on an existing and on an unknown login
    def seen(answer: httpx.Response) -> tuple[str, str]:  # the code, and the message without its figures
        return code_of(answer), re.sub(r"\d+", "N", answer.json()["errors"][0]["message"])

    existing = [seen(a) for a in await concurrent_wrong_logins(from_address, "alice", 6)]
    unknown = [seen(a) for a in await concurrent_wrong_logins(from_address, "nobody", 6)]
    # then: nothing tells them apart
    assert sorted(existing) == sorted(unknown)
    assert [code for code, _ in existing].count("RATE_LIMITED") == 3


async def test_a_successful_login_forgets_the_failures(from_address, owner_alice: Persona, three_failures_per_name):
    # given: two failures, then the right password
    for _ in range(2):
        assert code_of(await from_address("10.0.0.1", LOGIN, login_variables("alice"))) == "UNAUTHENTICATED"
    assert code_of(await from_address("10.0.0.1", LOGIN, login_variables(" Alice ", PASSWORD))) == "OK"
    # when: three more failures
    codes = [code_of(await from_address("10.0.0.1", LOGIN, login_variables("alice"))) for _ in range(3)]
    # then: they are all checked: the count started again
    assert codes == ["UNAUTHENTICATED"] * 3


async def test_a_limited_login_says_when_to_retry(from_address, three_failures_per_name: None):
    # given
    for _ in range(3):
        await from_address("10.0.0.1", LOGIN, login_variables("nobody"))
    # when
    answer = await from_address("10.0.0.1", LOGIN, login_variables("nobody"))
    # then: in the message, and in Retry-After
    assert code_of(answer) == "RATE_LIMITED"
    retry_after = int(answer.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60
    assert f"Try again in {retry_after} s." in answer.json()["errors"][0]["message"]


async def test_a_limited_registration_says_when_to_retry(from_address, monkeypatch: pytest.MonkeyPatch):
    # given: one registration a minute per address
    monkeypatch.setattr(settings, "RATE_LIMIT_LOGIN", "1/minute")
    invalid = {"input": {"username": "x", "email": "x@example.org", "password": PASSWORD}}
    assert code_of(await from_address("10.0.0.1", REGISTER, invalid)) == "BAD_USER_INPUT"
    # when
    answer = await from_address("10.0.0.1", REGISTER, invalid)
    # then
    assert code_of(answer) == "RATE_LIMITED"
    assert 0 < int(answer.headers["retry-after"]) <= 60
    # and another address is not concerned
    assert code_of(await from_address("10.0.0.2", REGISTER, invalid)) == "BAD_USER_INPUT"


async def timed_code(server: Server, query: str, variables: dict) -> tuple[str, float]:
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        answer = await client.post(server.graphql_url, json={"query": query, "variables": variables})
    return code_of(answer), time.perf_counter() - started


@pytest.mark.e2e
@pytest.mark.parametrize("outage", ["killed", "hung"])
async def test_login_limits_hold_while_redis_is_down(database: str, private_redis: PrivateRedis, outage: str):
    # given: a server counting in a Redis that dies, or hangs (connections open, no reply ever)
    timeout = 2.0  # a wait for Redis lasts at least this, however loaded the machine
    server = await start_server(
        database,
        REDIS_URL=private_redis.url,
        REDIS_PREFIX=f"cercle-test-{uuid.uuid4().hex[:8]}",
        RATE_LIMIT_LOGIN="4/minute",
        RATE_LIMIT_LOGIN_NAME="2/minute",
        RATE_LIMIT_REDIS_TIMEOUT_SECONDS=str(timeout),
        RATE_LIMIT_REDIS_RETRY_SECONDS="60",
    )
    try:
        private_redis.kill() if outage == "killed" else private_redis.freeze()
        # when: wrong passwords for one name, then for others, from one address
        answers = [await timed_code(server, LOGIN, login_variables(name)) for name in ["a", "a", "a", "b", "c", "d"]]
    finally:
        private_redis.kill()
        stop_server(server)
    # then: the name's limit (2) refused the third "a"; the address's limit (4) refused "c" and "d"
    codes = [code for code, _ in answers]
    assert codes == ["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED", "UNAUTHENTICATED"] + ["RATE_LIMITED"] * 2
    # and Redis was waited for once at most: the refusals (no password hashed) did not wait a timeout
    refusals = [seconds for code, seconds in answers if code == "RATE_LIMITED"]
    assert max(refusals) < timeout, answers
