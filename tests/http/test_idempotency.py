"""`Idempotency-Key` on mutations: a member's repeat within a day gets the first answer and writes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

import settings
from models.communities import Community
from models.idempotency import IdempotentRequest, RequestState
from models.posts import Post, PostKind
from resolvers import idempotency, outbox
from resolvers.errors import Conflict
from resolvers.idempotency import prune_idempotent_requests
from resolvers.ratelimit import reset_limits
from tests.factories import Persona, make_post
from tests.fixtures.server import Server

CREATE_POST = """
mutation CreatePost($input: CreatePostInput!) { createPost(input: $input) { id title publishedAt } }
"""


def create_post(community: Community, title: str = "Hello") -> dict:
    post = {"communitySlug": community.slug, "title": title, "body": "Hi"}
    return {"query": CREATE_POST, "variables": {"input": post}}


def headers(persona: Persona, key: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {persona.token}", **({"idempotency-key": key} if key is not None else {})}


async def posts_titled(community: Community, title: str = "Hello") -> int:
    return await Post.filter(community_id=community.id, title=title).exclude(kind=PostKind.INTRODUCTION).count()


async def test_a_repeat_with_the_same_key_gets_the_first_answer_and_writes_nothing(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community
):
    # when
    first = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "k-1"))
    again = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "k-1"))
    # then
    assert first.status_code == again.status_code == 200
    assert "errors" not in first.json()
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert await posts_titled(public_community) == 1


async def test_the_same_request_without_a_key_or_with_another_key_writes_again(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community
):
    for key in (None, None, "a", "b", '"b"'):  # the structured-field form "b" is the key b
        await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, key))
    assert await posts_titled(public_community) == 4


async def test_a_repeat_sent_to_another_process_gets_the_first_answer(
    http: httpx.AsyncClient, live_server: Server, member_bob: Persona, public_community: Community
):
    # given: the first attempt answered by this process
    first = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "across"))
    # when: the client repeats it, and a load balancer sends it to another process
    async with httpx.AsyncClient() as client:
        again = await client.post(
            live_server.graphql_url, json=create_post(public_community), headers=headers(member_bob, "across")
        )
    # then
    assert again.json() == first.json()
    assert await posts_titled(public_community) == 1


async def test_repeats_sent_all_at_once_write_once(
    live_server: Server, member_bob: Persona, public_community: Community
):
    # when: an impatient client fires the same request six times at once
    request = {"json": create_post(public_community), "headers": headers(member_bob, "burst")}
    async with httpx.AsyncClient() as client:
        answers = await asyncio.gather(*(client.post(live_server.graphql_url, **request) for _ in range(6)))
    # then: one post; every answer is that post, or a conflict saying the first is still running
    assert await posts_titled(public_community) == 1
    posted = [a.json() for a in answers if a.status_code == 200]
    assert posted and all(body == posted[0] and "errors" not in body for body in posted)
    for running in (a for a in answers if a.status_code != 200):
        assert running.status_code == 409 and running.headers["retry-after"] == "1"
        assert running.json()["errors"][0]["extensions"]["code"] == "CONFLICT"


async def test_a_key_used_for_another_request_is_refused(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community
):
    # given
    await http.post("/graphql", json=create_post(public_community, "First"), headers=headers(member_bob, "k"))
    # when
    other = await http.post("/graphql", json=create_post(public_community, "Second"), headers=headers(member_bob, "k"))
    # then
    assert other.status_code == 422
    assert other.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "Idempotency-Key"}
    assert await posts_titled(public_community, "Second") == 0


async def test_keys_belong_to_the_member_who_sent_them(
    http: httpx.AsyncClient, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "shared"))
    theirs = await http.post("/graphql", json=create_post(public_community), headers=headers(owner_alice, "shared"))
    assert "idempotent-replayed" not in theirs.headers
    assert await posts_titled(public_community) == 2


@pytest.mark.parametrize("key", ["", " ", "é".encode(), "a b", "x" * 256])
async def test_a_malformed_key_is_refused(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community, key: str | bytes
):
    answer = await http.post(
        "/graphql", json=create_post(public_community), headers={**headers(member_bob, None), "idempotency-key": key}
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "Idempotency-Key"}
    assert await posts_titled(public_community) == 0


async def test_a_request_that_failed_before_writing_runs_again_when_repeated(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    # given: a first attempt refused by the rate limit, which wrote nothing
    monkeypatch.setattr(settings, "RATE_LIMIT_MUTATIONS", "1/minute")
    await http.post("/graphql", json=create_post(public_community, "Earlier"), headers=headers(member_bob, None))
    refused = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "later"))
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    # when: the limit has passed and the client repeats it
    reset_limits()
    again = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "later"))
    # then: it ran for real this time
    assert "errors" not in again.json() and "idempotent-replayed" not in again.headers
    assert await posts_titled(public_community) == 1


async def test_a_write_that_committed_before_its_answer_failed_is_not_written_again(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    # given: the post commits, then announcing it fails, so the client gets an error
    async def broker_down(events: list) -> None:
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(outbox, "_publish", broker_down)
    first = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "unlucky"))
    assert first.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    monkeypatch.undo()
    # when: the client repeats it
    again = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "unlucky"))
    # then: it is told the post was made (not the error again, which would send it round in circles)
    assert again.status_code == 409
    assert again.json()["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert "was applied" in again.json()["errors"][0]["message"]
    assert await posts_titled(public_community) == 1


async def test_a_write_whose_answer_was_lost_is_not_run_again(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    # given: the post commits, then the process breaks off before answering (as if it died)
    async def process_dies(events: list) -> None:
        raise asyncio.CancelledError

    monkeypatch.setattr(outbox, "_publish", process_dies)
    with pytest.raises(asyncio.CancelledError):
        await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "lost"))
    monkeypatch.undo()
    # when
    again = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "lost"))
    # then
    assert again.status_code == 409
    assert again.json()["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert await posts_titled(public_community) == 1


async def test_a_key_held_by_a_process_that_died_before_writing_is_taken_over(
    http: httpx.AsyncClient, member_bob: Persona, public_community: Community
):
    # given: a claim left running minutes ago by a process that died before it wrote anything
    request = create_post(public_community)
    fingerprint = idempotency.fingerprint(request["query"], request["variables"], None)
    await IdempotentRequest.create(
        member_id=member_bob.member.id,
        key="orphan",
        fingerprint=fingerprint,
        state=RequestState.RUNNING,
        created_at=datetime.now(UTC) - idempotency.ABANDONED_AFTER - timedelta(seconds=1),
    )
    # when: the client repeats the request
    again = await http.post("/graphql", json=request, headers=headers(member_bob, "orphan"))
    # then: it runs, once
    assert "errors" not in again.json() and "idempotent-replayed" not in again.headers
    assert await posts_titled(public_community) == 1
    replayed = await http.post("/graphql", json=request, headers=headers(member_bob, "orphan"))
    assert replayed.headers["idempotent-replayed"] == "true"


async def test_a_request_whose_key_a_repeat_took_over_writes_nothing(member_bob: Persona, public_community: Community):
    # given: a request slow enough that a repeat took its key over (the repeat now holds the lease)
    slow = await idempotency.claim(member_bob.member.id, "slow", "its fingerprint")
    assert isinstance(slow, idempotency.Claim)
    await slow.rows().update(created_at=datetime.now(UTC))
    # when: the slow one finally writes
    with idempotency.holding(slow), pytest.raises(Conflict):
        await make_post(member_bob, public_community, "Hello")
    # then: its transaction rolled back; the repeat is the one that writes
    assert await posts_titled(public_community) == 0


async def test_a_key_is_kept_for_a_day(http: httpx.AsyncClient, member_bob: Persona, public_community: Community):
    # given: a key used a little over a day ago
    await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "old"))
    await IdempotentRequest.all().update(created_at=datetime.now(UTC) - timedelta(hours=25))
    # when
    again = await http.post("/graphql", json=create_post(public_community), headers=headers(member_bob, "old"))
    # then: it is a new request
    assert "idempotent-replayed" not in again.headers
    assert await posts_titled(public_community) == 2
    # and the scheduler forgets keys past their day
    await IdempotentRequest.all().update(created_at=datetime.now(UTC) - timedelta(hours=25))
    assert await prune_idempotent_requests() == 1
    assert not await IdempotentRequest.exists()


async def test_queries_and_anonymous_mutations_run_as_if_they_had_no_key(http: httpx.AsyncClient, member_bob: Persona):
    me = {"query": "{ me { username } }"}
    await http.post("/graphql", json=me, headers=headers(member_bob, "q"))
    register = {
        "query": 'mutation($u: String!) { register(input: {username: $u, email: "x@example.org", '
        'password: "long enough password"}) { member { username } } }',
        "variables": {"u": "newcomer"},
    }
    await http.post("/graphql", json=register, headers={"idempotency-key": "anon"})
    assert not await IdempotentRequest.exists()
