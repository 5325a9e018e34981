"""PostgreSQL ends the server's connections under it (a restart, a failover, `pg_terminate_backend`).

Requests that were using them get a clear, retryable error (never a masked one,
never "another operation is in progress"), nothing is half-written, and the
next requests work. Only the test database's backends of the server under test
are ended (they carry an application name of their own).
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
import pytest

from models.activity import Activity
from models.communities import Community
from models.posts import Post, PostKind
from tests.conftest import BACKEND, TEST_DATABASE_URL
from tests.factories import Persona
from tests.fixtures.server import Server, start_server, stop_server

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="connections ended under the server are a PostgreSQL fault: SQLite has none"
)

APPLICATION_NAME = f"cercle-fault-{uuid.uuid4().hex[:8]}"
READ = "{ communities(first: 5) { totalCount edges { node { slug memberCount } } } }"
CREATE_POST = """
mutation Post($slug: String!, $title: String!) {
  createPost(input: {communitySlug: $slug, title: $title, body: "hello"}) { title }
}
"""
RETRYABLE = {"code": "INTERNAL_SERVER_ERROR", "retryable": True}
GRAPHQL_RESPONSE = "application/graphql-response+json"
WAIT_SECONDS = 15


@pytest.fixture(scope="module")
async def server(database: str) -> AsyncIterator[Server]:
    server = await start_server(f"{database}?application_name={APPLICATION_NAME}", DB_POOL_MAX="5")
    yield server
    stop_server(server)


async def connect() -> asyncpg.Connection:
    """A connection of the test's own to the test database, outside the server's pool."""
    return await asyncpg.connect(TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1))


@pytest.fixture
async def admin() -> AsyncIterator[asyncpg.Connection]:
    connection = await connect()
    yield connection
    await connection.close()


@asynccontextmanager
async def holding_the_row_of(community: Community, mode: str = "UPDATE") -> AsyncIterator[None]:
    """The community's row locked by another transaction: writers to the community wait inside theirs.
    FOR UPDATE stops them at their first row that refers to the community; FOR NO KEY UPDATE lets them write
    their rows and stops them only when they number them, together with their commit."""
    connection = await connect()
    try:
        async with connection.transaction():
            await connection.execute(f"SELECT 1 FROM community WHERE id = $1 FOR {mode}", community.id)
            yield
    finally:
        await connection.close()


async def end_server_connections(admin: asyncpg.Connection) -> int:
    """End the server's backends, and wait until they are gone; how many there were."""
    rows = await admin.fetch(
        "SELECT pg_terminate_backend(pid, $2) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()",
        APPLICATION_NAME,
        WAIT_SECONDS * 1000,
    )
    return len(rows)


async def until_waiting_on_a_lock(admin: asyncpg.Connection, count: int) -> None:
    """Until `count` of the server's backends wait for a lock (PostgreSQL says when, nothing else can).

    `admin` must not be inside a transaction: pg_stat_activity would be the same snapshot at every look."""
    query = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'"
    )
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            if await admin.fetchval(query, APPLICATION_NAME) >= count:
                return
            await asyncio.sleep(0.05)


class Client:
    def __init__(self, http: httpx.AsyncClient, server: Server, alice: Persona, slug: str) -> None:
        self.http, self.server, self.alice, self.slug = http, server, alice, slug

    async def send(
        self, query: str, variables: dict | None = None, accept: str = "application/json", key: str | None = None
    ) -> dict:
        """The answer's body, with its HTTP status and Retry-After added as `status` and `retry_after`."""
        headers = {"authorization": f"Bearer {self.alice.token}", "accept": accept}
        if key:
            headers["idempotency-key"] = key
        response = await self.http.post(
            self.server.graphql_url, json={"query": query, "variables": variables or {}}, headers=headers
        )
        return {**response.json(), "status": response.status_code, "retry_after": response.headers.get("retry-after")}

    async def read(self) -> dict:
        return await self.send(READ)

    async def post(self, title: str, accept: str = "application/json", key: str | None = None) -> dict:
        return await self.send(CREATE_POST, {"slug": self.slug, "title": title}, accept, key)

    async def burst(self, size: int, tag: str) -> list[dict]:
        return await asyncio.gather(*(self.post(f"{tag} {n}") if n % 3 == 0 else self.read() for n in range(size)))


def outcome(answer: dict) -> str:
    """ "ok", "retryable", "unknown" (lost while committing: maybe written), or what else the answer was."""
    if "errors" not in answer:
        return "ok"
    extensions = answer["errors"][0]["extensions"]
    if extensions == RETRYABLE:
        return "retryable"
    return "unknown" if extensions == {**RETRYABLE, "retryable": False} else repr(answer["errors"])


@pytest.fixture
async def client(server: Server, owner_alice: Persona, public_community: Community) -> AsyncIterator[Client]:
    async with httpx.AsyncClient(timeout=WAIT_SECONDS, limits=httpx.Limits(max_connections=100)) as http:
        yield Client(http, server, owner_alice, public_community.slug)


async def test_a_transaction_whose_connection_ends_fails_clearly_and_writes_nothing(
    client: Client, admin: asyncpg.Connection, public_community: Community
):
    # given: three posts written at once, each inside its transaction, waiting for a lock the test holds
    assert outcome(await client.read()) == "ok"
    seq_before = (await Community.get(id=public_community.id)).activity_seq
    async with holding_the_row_of(public_community):
        waiting = [
            asyncio.ensure_future(client.post("Half-written (json)")),
            asyncio.ensure_future(client.post("Half-written", accept="application/graphql-response+json")),
            asyncio.ensure_future(
                client.post("Half-written (either)", accept="application/graphql-response+json, */*")
            ),
        ]
        await until_waiting_on_a_lock(admin, len(waiting))
        # when: PostgreSQL ends the server's connections
        assert await end_server_connections(admin) >= len(waiting)
    answers = await asyncio.gather(*waiting)
    # then: each gets a plain, retryable error; 503 with Retry-After where the client understands it
    assert [outcome(answer) for answer in answers] == ["retryable"] * 3
    assert answers[0]["errors"][0]["message"] == "The database connection was lost: try again."
    assert [(a["status"], a["retry_after"]) for a in answers] == [(200, None), (503, "1"), (503, "1")]
    # and nothing of the three posts was written
    assert not await Post.filter(title__startswith="Half-written").exists()
    assert (await Community.get(id=public_community.id)).activity_seq == seq_before
    # and the next request works
    assert outcome(await client.post("Written")) == "ok"
    assert await Post.filter(title="Written").count() == 1


async def test_a_write_whose_connection_ends_as_it_commits_is_not_said_to_be_safe_to_repeat(
    client: Client, admin: asyncpg.Connection, public_community: Community
):
    # given: a post written, waiting for the lock on its community's counter, which it takes with its commit
    async with holding_the_row_of(public_community, "NO KEY UPDATE"):
        waiting = asyncio.ensure_future(client.post("Committing"))
        await until_waiting_on_a_lock(admin, 1)
        # when: PostgreSQL ends the server's connections
        assert await end_server_connections(admin) >= 1
    answer = await waiting
    # then: the server cannot know whether the COMMIT ran, and says so rather than inviting a second post
    assert outcome(answer) == "unknown"
    assert answer["errors"][0]["message"].endswith("the change may or may not have been made.")
    # and here it had not: nothing half-written, and the next post works
    assert not await Post.filter(title="Committing").exists()
    assert outcome(await client.post("Written after")) == "ok"


async def test_requests_under_load_when_connections_end_fail_clearly_and_the_next_ones_work(
    client: Client, admin: asyncpg.Connection, public_community: Community
):
    # given: twenty clients reading and posting without pause
    answers: list[tuple[str | None, dict]] = []  # (the post's title, or None for a read; the answer)
    answered, stop = asyncio.Condition(), asyncio.Event()

    async def keep_sending(n: int) -> None:
        for i in itertools.count():
            if stop.is_set():
                return
            title = f"Load {n}.{i}" if i % 3 == 0 else None
            answer = await (client.post(title) if title else client.read())
            async with answered:
                answers.append((title, answer))
                answered.notify_all()

    senders = [asyncio.ensure_future(keep_sending(n)) for n in range(20)]
    # when: PostgreSQL ends the server's connections four times, every 40 answers
    for kill in range(1, 5):
        async with answered, asyncio.timeout(WAIT_SECONDS):
            await answered.wait_for(lambda: len(answers) >= 40 * kill)  # noqa: B023 - evaluated at once
        await end_server_connections(admin)
    stop.set()
    await asyncio.gather(*senders)
    # and once more while the pool is idle, just before a last burst
    await end_server_connections(admin)
    after = await client.burst(30, "After")
    # then: every request either worked or got the retryable error; the last burst all worked
    assert {outcome(answer) for _, answer in answers} <= {"ok", "retryable", "unknown"}
    assert [outcome(answer) for answer in after] == ["ok"] * 30
    # and a post whose request failed was not written, unless its commit was under way ("unknown")
    written = set(await Post.filter(title__startswith="Load").values_list("title", flat=True))
    posts = {title: outcome(answer) for title, answer in answers if title}
    assert {title for title, said in posts.items() if said == "ok"} <= written
    assert not written & {title for title, said in posts.items() if said == "retryable"}
    # and no post lacks its activity
    posted = Activity.filter(community_id=public_community.id, verb="POSTED")
    assert await posted.count() == await Post.filter(community_id=public_community.id, kind=PostKind.DISCUSSION).count()


async def test_posts_repeated_with_their_idempotency_key_after_connections_end_are_written_once(
    client: Client, admin: asyncpg.Connection, public_community: Community
):
    # given: ten clients posting one after another, each repeating a post that failed with its key
    outcomes: list[str] = []
    answered = asyncio.Condition()

    async def post_until_answered(title: str) -> None:
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                answer = await client.post(title, key=title.replace(" ", "-"))
                if outcome(answer) == "ok" or (answer["status"] == 409 and "was applied" in str(answer["errors"])):
                    break
                if answer["status"] == 409:  # the first attempt is still running: as Retry-After says, later
                    await asyncio.sleep(0.05)
                else:
                    assert outcome(answer) in ("retryable", "unknown"), answer
        async with answered:
            outcomes.append(outcome(answer))
            answered.notify_all()

    async def keep_posting(n: int) -> None:
        for i in range(6):
            await post_until_answered(f"Keyed {n}.{i}")

    posters = [asyncio.ensure_future(keep_posting(n)) for n in range(10)]
    # when: PostgreSQL ends the server's connections three times while they post
    for kill in range(1, 4):
        async with answered, asyncio.timeout(WAIT_SECONDS):
            await answered.wait_for(lambda: len(outcomes) >= 12 * kill)  # noqa: B023 - evaluated at once
        await end_server_connections(admin)
    await asyncio.gather(*posters)
    # then: every post was written exactly once, however often it was sent
    titles = await Post.filter(title__startswith="Keyed").values_list("title", flat=True)
    assert sorted(titles) == sorted(f"Keyed {n}.{i}" for n in range(10) for i in range(6))
