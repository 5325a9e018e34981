"""postAdded and commentAdded over a real WebSocket."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

from gql import GraphQLRequest

from realtime.messages import encode_cursor
from tests.factories import Persona, gid, make_community, make_post
from tests.fixtures.server import Server, execute
from tests.realtime.test_activity_subscription import WAIT_SECONDS, post, subscribed

POST_ADDED = """
subscription Posts($slug: String!, $after: String) {
  postAdded(communitySlug: $slug, after: $after) { title author { username } }
}
"""
COMMENT_ADDED = """
subscription Comments($postId: ID!, $after: String) {
  commentAdded(postId: $postId, after: $after) { body post { title } }
}
"""
ADD_COMMENT = "mutation C($postId: ID!, $body: String!) { addComment(input: {postId: $postId, body: $body}) { id } }"


async def next_result(stream, field: str) -> dict:
    return (await asyncio.wait_for(anext(stream), WAIT_SECONDS))[field]


async def comment(server: Server, persona: Persona, post_id: str, body: str) -> None:
    answer = await execute(server, ADD_COMMENT, {"postId": post_id, "body": body}, persona.token)
    assert "errors" not in answer, answer


async def test_post_added_replays_then_streams_only_posts(live_server: Server, owner_alice: Persona):
    community = await make_community(owner_alice, "Posts Room", slug="posts-room")
    await post(live_server, owner_alice, community.slug, "Before")
    variables = {"slug": community.slug, "after": encode_cursor(community.id, 1)}
    async with subscribed(live_server, owner_alice) as session:
        async with aclosing(session.subscribe(GraphQLRequest(POST_ADDED, variable_values=variables))) as stream:
            assert (await next_result(stream, "postAdded"))["title"] == "Before"
            await post(live_server, owner_alice, community.slug, "After")
            assert await next_result(stream, "postAdded") == {"title": "After", "author": {"username": "alice"}}


async def test_comment_added_streams_the_comments_of_one_post(live_server: Server, owner_alice: Persona):
    community = await make_community(owner_alice, "Comments Room", slug="comments-room")
    watched = await make_post(owner_alice, community, "Watched")
    other = await make_post(owner_alice, community, "Other")
    variables = {"postId": gid(watched), "after": encode_cursor(community.id, 3)}  # after both posts
    await comment(live_server, owner_alice, gid(watched), "first")
    async with subscribed(live_server, owner_alice) as session:
        async with aclosing(session.subscribe(GraphQLRequest(COMMENT_ADDED, variable_values=variables))) as stream:
            assert (await next_result(stream, "commentAdded"))["body"] == "first"
            await comment(live_server, owner_alice, gid(other), "elsewhere")
            await comment(live_server, owner_alice, gid(watched), "second")
            assert await next_result(stream, "commentAdded") == {"body": "second", "post": {"title": "Watched"}}
