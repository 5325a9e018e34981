"""One event, many subscribers: the selection set is executed once per (query, variables, visibility)."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack, aclosing

import pytest
from graphql import parse

from models.communities import Community
from realtime import start_realtime
from realtime.broker import InProcessBroker
from realtime.messages import encode_cursor
from resolvers.context import Context
from schema import schema
from schema.execution.sharing import selects_only_shared_fields
from tests.factories import Persona, count_queries, make_member, make_post

SHARED = """
subscription S($slug: String!, $after: String) {
  activity(communitySlug: $slug, after: $after) {
    verb summary actor { username displayName } community { name memberCount }
  }
}
"""
PER_VIEWER = """
subscription S($slug: String!, $after: String) {
  activity(communitySlug: $slug, after: $after) { verb community { viewerMembership { role } } }
}
"""
WAIT_SECONDS = 10


@pytest.fixture(autouse=True)
async def live_in_this_process():
    await start_realtime(InProcessBroker())


def test_documents_reading_viewer_dependent_fields_are_not_shared():
    graphql_schema = schema._schema
    shared = parse(SHARED)
    fragment = parse(
        'subscription { activity(communitySlug: "x") { ...A } } fragment A on ActivityEvent { actor { email } }'
    )
    assert selects_only_shared_fields(graphql_schema, shared)
    assert not selects_only_shared_fields(graphql_schema, parse(PER_VIEWER))
    assert not selects_only_shared_fields(graphql_schema, fragment)


async def now_cursor(community: Community) -> str:
    await community.refresh_from_db(fields=["activity_seq"])
    return encode_cursor(community.id, community.activity_seq)


async def deliver_one_post(
    query: str, viewers: list[Context], author: Persona, community: Community
) -> tuple[list[dict], int]:
    """Subscribe each viewer (in process), make them live, then post once: what each got, and the SQL it took."""
    for title in ("first", "second"):  # past the author's first-post badge and MEMBER level: one event a post
        await make_post(author, community, title)
    variables = {"slug": community.slug, "after": await now_cursor(community)}
    async with AsyncExitStack() as stack:
        streams = []
        for viewer in viewers:
            stream = await schema.subscribe(query, variable_values=variables, context_value=viewer)
            streams.append(await stack.enter_async_context(aclosing(stream)))
        await make_post(author, community, "warm-up")
        await asyncio.wait_for(asyncio.gather(*(anext(s) for s in streams)), WAIT_SECONDS)  # all live now
        with count_queries() as statements:
            await make_post(author, community, "the one")
            results = await asyncio.wait_for(asyncio.gather(*(anext(s) for s in streams)), WAIT_SECONDS)
    assert all(not r.errors for r in results), [r.errors for r in results]
    return [r.data["activity"] for r in results], len(statements)


async def test_six_subscribers_cost_the_sql_of_one(owner_alice: Persona, member_bob: Persona, public_community):
    # given: the same query from one, then from six subscribers (members, outsiders, anonymous)
    readers = [(await make_member(f"reader{i}")).ctx for i in range(3)]
    anonymous = Context(viewer_id=None)
    _, alone = await deliver_one_post(SHARED, [member_bob.ctx], owner_alice, public_community)
    crowd_of_six = [member_bob.ctx, owner_alice.ctx, *readers, anonymous]
    # when
    delivered, crowd = await deliver_one_post(SHARED, crowd_of_six, owner_alice, public_community)
    # then
    assert crowd == alone
    assert len({str(d) for d in delivered}) == 1
    assert delivered[0]["summary"] == "Alice posted “the one”"


async def test_viewer_dependent_fields_are_answered_per_viewer(
    owner_alice: Persona, member_bob: Persona, public_community
):
    delivered, _ = await deliver_one_post(PER_VIEWER, [owner_alice.ctx, member_bob.ctx], owner_alice, public_community)
    roles = [d["community"]["viewerMembership"]["role"] for d in delivered]
    assert roles == ["OWNER", "MEMBER"]


async def test_documents_with_fragments_are_shared_too(owner_alice: Persona, member_bob: Persona, public_community):
    # graphql-core keeps a document's fragments with their variable signatures: the key is printed from their nodes
    fragmented = """
    subscription S($slug: String!, $after: String) { activity(communitySlug: $slug, after: $after) { ...Seen } }
    fragment Seen on ActivityEvent { verb summary }
    """
    delivered, _ = await deliver_one_post(fragmented, [owner_alice.ctx, member_bob.ctx], owner_alice, public_community)
    assert [d["summary"] for d in delivered] == ["Alice posted “the one”"] * 2
