"""Soft delete: by the author or a moderator; gone from every read path, kept in the table."""

from __future__ import annotations

import pytest

from models.communities import Community
from models.posts import Comment, Post
from tests.factories import Persona, gid, introduction_of, join, make_comment, make_community, make_member, make_post

DELETE_POST = "mutation Delete($id: ID!) { deletePost(postId: $id) }"
DELETE_COMMENT = "mutation Delete($id: ID!) { deleteComment(commentId: $id) }"
FEED = "query Feed($slug: String!) { community(slug: $slug) { posts { totalCount edges { node { id } } } } }"
POST = "query Post($id: ID!) { post(id: $id) { id commentCount comments { totalCount edges { node { id } } } } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
COMMENT_PARENT = "query Node($id: ID!) { node(id: $id) { ... on Comment { parent { id } } } }"
ADD_COMMENT = 'mutation AddComment($id: ID!) { addComment(input: {postId: $id, body: "late"}) { id } }'
REACT = "mutation React($id: ID!) { react(targetId: $id, reaction: LIKE) { total } }"


async def assert_not_found(gql, query: str, target_id: str, token: str | None = None) -> None:
    body = await gql.execute(query, {"id": target_id}, token=token)
    assert body["data"] == {query.split("{", 2)[1].split("(")[0].strip(): None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("deleter", ["member_bob", "owner_alice", "moderator_carol"])
async def test_author_owner_or_moderator_deletes_a_post(
    gql,
    owner_alice: Persona,
    member_bob: Persona,
    moderator_carol: Persona,
    public_community: Community,
    deleter: str,
):
    # given
    post = await make_post(member_bob, public_community)
    comment = await make_comment(member_bob, post)
    who = {"owner_alice": owner_alice, "member_bob": member_bob, "moderator_carol": moderator_carol}[deleter]
    # when
    data = await gql.data(DELETE_POST, {"id": gid(post)}, token=who.token)
    # then
    assert data["deletePost"] == gid(post)
    feed = (await gql.data(FEED, {"slug": public_community.slug}, token=member_bob.token))["community"]["posts"]
    left = [await introduction_of(p, public_community) for p in (moderator_carol, member_bob)]  # newest first
    assert feed == {"totalCount": 2, "edges": [{"node": {"id": gid(p)}} for p in left]}  # the joins' only
    await assert_not_found(gql, POST, gid(post), member_bob.token)
    await assert_not_found(gql, NODE, gid(post), member_bob.token)
    await assert_not_found(gql, NODE, gid(comment), member_bob.token)  # its comments go with it
    row = await Post.get(id=post.id)
    assert row.deleted_at is not None and row.title == post.title


async def test_others_cannot_delete_a_post(gql, owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given
    post = await make_post(owner_alice, public_community)
    dave = await make_member("dave")
    await join(dave, public_community)
    # when
    by_member = await gql.error(DELETE_POST, {"id": gid(post)}, token=dave.token)
    by_other_author = await gql.error(DELETE_POST, {"id": gid(post)}, token=member_bob.token)
    by_anonymous = await gql.error(DELETE_POST, {"id": gid(post)})
    # then
    assert by_member["extensions"]["code"] == by_other_author["extensions"]["code"] == "FORBIDDEN"
    assert by_anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await Post.get(id=post.id)).deleted_at is None


async def test_a_moderator_of_another_community_cannot_delete(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, public_community: Community
):
    # given: mallory owns a community of her own
    await make_community(outsider_mallory, "Mallory's place")
    post = await make_post(member_bob, public_community)
    # when
    error = await gql.error(DELETE_POST, {"id": gid(post)}, token=outsider_mallory.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await Post.get(id=post.id)).deleted_at is None


@pytest.mark.parametrize("deleter", ["member_bob", "moderator_carol"])
async def test_author_or_moderator_deletes_a_comment(
    gql,
    owner_alice: Persona,
    member_bob: Persona,
    moderator_carol: Persona,
    public_community: Community,
    deleter: str,
):
    # given
    post = await make_post(owner_alice, public_community)
    comment, kept = await make_comment(member_bob, post), await make_comment(owner_alice, post)
    who = {"owner_alice": owner_alice, "member_bob": member_bob, "moderator_carol": moderator_carol}[deleter]
    # when
    data = await gql.data(DELETE_COMMENT, {"id": gid(comment)}, token=who.token)
    # then
    assert data["deleteComment"] == gid(comment)
    read = (await gql.data(POST, {"id": gid(post)}, token=member_bob.token))["post"]
    assert read["commentCount"] == read["comments"]["totalCount"] == 1
    assert read["comments"]["edges"] == [{"node": {"id": gid(kept)}}]
    await assert_not_found(gql, NODE, gid(comment), member_bob.token)
    row = await Comment.get(id=comment.id)
    assert row.deleted_at is not None and row.body == "A comment"


async def test_others_cannot_delete_a_comment(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(member_bob, public_community)
    comment = await make_comment(owner_alice, post)
    # when: the post's author is not the comment's author
    error = await gql.error(DELETE_COMMENT, {"id": gid(comment)}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await Comment.get(id=comment.id)).deleted_at is None


async def test_deleted_content_takes_no_more_comments_or_reactions(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    comment = await make_comment(owner_alice, post)
    await gql.data(DELETE_COMMENT, {"id": gid(comment)}, token=owner_alice.token)
    await gql.data(DELETE_POST, {"id": gid(post)}, token=owner_alice.token)
    # when
    add = await gql.error(ADD_COMMENT, {"id": gid(post)}, token=member_bob.token)
    react = await gql.error(REACT, {"id": gid(comment)}, token=member_bob.token)
    again = await gql.error(DELETE_POST, {"id": gid(post)}, token=owner_alice.token)
    # then
    assert add["extensions"]["code"] == react["extensions"]["code"] == again["extensions"]["code"] == "NOT_FOUND"


async def test_a_reply_to_a_deleted_comment_has_no_parent(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    parent = await make_comment(owner_alice, post)
    reply = await make_comment(member_bob, post, "reply", parent=parent)
    await gql.data(DELETE_COMMENT, {"id": gid(parent)}, token=owner_alice.token)
    # when
    data = await gql.data(COMMENT_PARENT, {"id": gid(reply)})
    # then
    assert data["node"]["parent"] is None
