"""Global ids a client can forge: every one is NOT_FOUND or BAD_USER_INPUT, never an internal error."""

from __future__ import annotations

import pytest

from models.communities import Community
from resolvers.ids import to_global_id
from tests.factories import Persona, make_post

NODE = "query Node($id: ID!) { node(id: $id) { id } }"
POST = "query Post($id: ID!) { post(id: $id) { id } }"
REACT = "mutation React($id: ID!) { react(targetId: $id, reaction: LIKE) { total } }"
ADD_COMMENT = 'mutation AddComment($id: ID!) { addComment(input: {postId: $id, body: "hi"}) { id } }'
NODE_TYPES = ["Post", "Comment", "Member", "Community", "Membership", "Invitation"]


@pytest.mark.parametrize("type_name", NODE_TYPES)
@pytest.mark.parametrize("pk", [0, -1, 2**31, 2**40])
async def test_node_of_a_never_issued_pk_is_not_found(gql, owner_alice: Persona, type_name: str, pk: int):
    # when
    body = await gql.execute(NODE, {"id": to_global_id(type_name, pk)}, token=owner_alice.token)
    # then
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}


@pytest.mark.parametrize("query", [POST, REACT, ADD_COMMENT])
async def test_content_of_a_huge_pk_is_not_found(gql, member_bob: Persona, public_community: Community, query: str):
    # given
    await make_post(member_bob, public_community)
    # when
    error = await gql.error(query, {"id": to_global_id("Post", 2**40)}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("bad_id", ["", "???", "UG9zdA", "UG9zdDp4"])  # "", junk, "Post", "Post:x"
async def test_an_unreadable_id_is_bad_user_input(gql, owner_alice: Persona, bad_id: str):
    # when
    error = await gql.error(POST, {"id": bad_id}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


async def test_the_id_of_another_type_is_bad_user_input(gql, owner_alice: Persona, public_community: Community):
    # when
    error = await gql.error(POST, {"id": to_global_id("Community", public_community.id)}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
