"""Private communities: their content does not leak to outsiders or anonymous visitors, by any path."""

from __future__ import annotations

import pytest

from models.communities import Community, JoinPolicy, Membership, MembershipStatus, Visibility
from models.posts import Comment, Post, PostKind, Reaction
from tests.factories import Persona, gid, join, make_comment, make_community, make_post
from tests.posts.conftest import ban, written

POST = "query Post($id: ID!) { post(id: $id) { id title } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
COMMENT_POST = "query Node($id: ID!) { node(id: $id) { ... on Comment { post { id title } } } }"
FEED = "query Feed($slug: String!) { community(slug: $slug) { posts { edges { node { id } } } } }"
ADD_COMMENT = 'mutation AddComment($id: ID!) { addComment(input: {postId: $id, body: "hi"}) { id } }'
REPLY = """
mutation Reply($postId: ID!, $parentId: ID!) {
  addComment(input: {postId: $postId, body: "hi", parentId: $parentId}) { id }
}
"""
REACT = "mutation React($id: ID!) { react(targetId: $id, reaction: LIKE) { total } }"
UNREACT = "mutation Unreact($id: ID!) { unreact(targetId: $id, reaction: LIKE) { total } }"
ACCEPT_ANSWER = "mutation Accept($id: ID!) { acceptAnswer(commentId: $id) { id } }"
DELETE_POST = "mutation Delete($id: ID!) { deletePost(postId: $id) }"
DELETE_COMMENT = "mutation Delete($id: ID!) { deleteComment(commentId: $id) }"
PUBLISH_POST = "mutation Publish($id: ID!) { publishPost(postId: $id) { id } }"
CREATE_POST = """
mutation CreatePost($slug: String!) { createPost(input: {communitySlug: $slug, title: "t", body: "b"}) { id } }
"""

# An id that was never issued: every hidden object must answer exactly as this one does.
ABSENT_POST, ABSENT_COMMENT = "UG9zdDo5OTk5", "Q29tbWVudDo5OTk5"


@pytest.fixture
async def secret(owner_alice: Persona, member_bob: Persona, private_community: Community) -> tuple[Post, Comment]:
    """A question in the private community, with bob's answer."""
    post = await make_post(owner_alice, private_community, "Secret plans", kind=PostKind.QUESTION)
    return post, await make_comment(member_bob, post, "Secret answer")


@pytest.fixture(params=["outsider", "anonymous"])
def stranger(request, outsider_mallory: Persona) -> str | None:  # noqa: ANN001
    return outsider_mallory.token if request.param == "outsider" else None


async def assert_hidden(gql, query: str, variables: dict, token: str | None, absent: dict) -> None:
    """Null data with NOT_FOUND, worded exactly as for an object that does not exist."""
    hidden = await gql.execute(query, variables, token=token)
    missing = await gql.execute(query, absent, token=token)
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND", hidden
    assert hidden["data"] == missing["data"]
    assert hidden["data"] is None or set(hidden["data"].values()) == {None}
    assert hidden["errors"][0]["message"] == missing["errors"][0]["message"]
    assert hidden["errors"][0]["extensions"] == missing["errors"][0]["extensions"]


async def test_members_see_the_private_content(gql, member_bob: Persona, secret):
    # given
    post, comment = secret
    # when
    by_post = await gql.data(POST, {"id": gid(post)}, token=member_bob.token)
    by_node = await gql.data(COMMENT_POST, {"id": gid(comment)}, token=member_bob.token)
    # then
    assert by_post["post"] == by_node["node"]["post"] == {"id": gid(post), "title": "Secret plans"}


@pytest.mark.parametrize("query", [POST, NODE, COMMENT_POST])
async def test_private_posts_are_not_found(gql, secret, stranger: str | None, query: str):
    # given
    post, _ = secret
    # when / then
    await assert_hidden(gql, query, {"id": gid(post)}, stranger, {"id": ABSENT_POST})


@pytest.mark.parametrize("query", [NODE, COMMENT_POST])
async def test_private_comments_are_not_found(gql, secret, stranger: str | None, query: str):
    # given
    _, comment = secret
    # when / then
    await assert_hidden(gql, query, {"id": gid(comment)}, stranger, {"id": ABSENT_COMMENT})


async def test_the_private_community_and_its_feed_are_hidden(gql, secret, private_community, stranger: str | None):
    # when
    data = await gql.data(FEED, {"slug": private_community.slug}, token=stranger)
    node = await gql.execute(NODE, {"id": gid(private_community)}, token=stranger)
    # then
    assert data["community"] is None
    assert node["data"]["node"] is None and node["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("mutation", "target"),
    [
        (ADD_COMMENT, "post"),
        (REACT, "post"),
        (REACT, "comment"),
        (UNREACT, "post"),
        (UNREACT, "comment"),
        (ACCEPT_ANSWER, "comment"),
        (DELETE_POST, "post"),
        (DELETE_COMMENT, "comment"),
        (PUBLISH_POST, "post"),
    ],
)
async def test_outsiders_writing_to_private_content_get_not_found(
    gql, secret, outsider_mallory: Persona, mutation: str, target: str
):
    # given
    post, comment = secret
    target_id, absent = (gid(post), ABSENT_POST) if target == "post" else (gid(comment), ABSENT_COMMENT)
    # when / then
    await assert_hidden(gql, mutation, {"id": target_id}, outsider_mallory.token, {"id": absent})
    assert await Comment.all().count() == 1
    assert await Reaction.all().count() == 0
    assert await Post.filter(deleted_at__isnull=False).count() == 0
    assert await Comment.filter(accepted=True).count() == 0


async def test_a_private_comment_cannot_be_a_parent_elsewhere(
    gql, secret, outsider_mallory: Persona, owner_alice: Persona
):
    # given: a public post mallory may comment on
    public = await make_community(outsider_mallory, "Open house")
    public_post = await make_post(outsider_mallory, public)
    _, comment = secret
    # when / then
    await assert_hidden(
        gql,
        REPLY,
        {"postId": gid(public_post), "parentId": gid(comment)},
        outsider_mallory.token,
        {"postId": gid(public_post), "parentId": ABSENT_COMMENT},
    )


async def test_outsiders_cannot_post_in_a_private_community(gql, private_community, outsider_mallory: Persona):
    # given
    before = await written(private_community)
    # when
    error = await gql.error(CREATE_POST, {"slug": private_community.slug}, token=outsider_mallory.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "communitySlug"}
    assert await written(private_community) == before


async def test_banned_members_lose_sight_of_private_content(gql, secret, member_bob: Persona, private_community):
    # given
    post, comment = secret
    await ban(member_bob, private_community)
    # when / then
    await assert_hidden(gql, POST, {"id": gid(post)}, member_bob.token, {"id": ABSENT_POST})
    await assert_hidden(gql, NODE, {"id": gid(comment)}, member_bob.token, {"id": ABSENT_COMMENT})
    await assert_hidden(gql, REACT, {"id": gid(post)}, member_bob.token, {"id": ABSENT_POST})


async def test_pending_members_do_not_see_private_content(gql, owner_alice: Persona, outsider_mallory: Persona):
    # given: mallory asked to join a private community and waits for approval
    club = await make_community(
        owner_alice, "Closed club", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.APPROVAL
    )
    post = await make_post(owner_alice, club)
    await join(outsider_mallory, club)
    assert (await Membership.get(member_id=outsider_mallory.member.id)).status == MembershipStatus.PENDING
    # when / then
    await assert_hidden(gql, POST, {"id": gid(post)}, outsider_mallory.token, {"id": ABSENT_POST})
    await assert_hidden(gql, NODE, {"id": gid(post)}, outsider_mallory.token, {"id": ABSENT_POST})


async def test_a_pending_request_is_seen_by_the_requester_and_managers_only(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given: a public community that approves requests; bob is an active member, mallory asks to join
    club = await make_community(owner_alice, "Open club", join_policy=JoinPolicy.APPROVAL)
    await Membership.create(member_id=member_bob.member.id, community_id=club.id, status=MembershipStatus.ACTIVE)
    await join(outsider_mallory, club)
    request = await Membership.get(member_id=outsider_mallory.member.id, community_id=club.id)
    # when
    seen = {
        name: (await gql.execute(NODE, {"id": gid(request)}, token=who.token))["data"]["node"]
        for name, who in (("owner", owner_alice), ("requester", outsider_mallory), ("member", member_bob))
    }
    anonymous = await gql.execute(NODE, {"id": gid(request)})
    # then
    assert seen == {"owner": {"id": gid(request)}, "requester": {"id": gid(request)}, "member": None}
    assert anonymous["data"]["node"] is None and anonymous["errors"][0]["extensions"]["code"] == "NOT_FOUND"
