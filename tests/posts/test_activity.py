"""Every content write appends its activity in the same transaction, numbered densely per community."""

from __future__ import annotations

import asyncio

import pytest

from models.activity import Activity
from models.communities import Community
from models.posts import Comment, Post, PostKind, PostTag, Reaction, ReactionKind
from resolvers.posts.comments import do_accept_answer
from resolvers.posts.reactions import do_react
from tests.factories import Persona, gid, make_comment, make_community, make_post
from tests.posts.conftest import CONTENT_VERBS, activity_log, content_verbs

CREATE_COMMUNITY = 'mutation { createCommunity(input: {name: "Rust Lyon", slug: "rust-lyon"}) { id } }'
JOIN = 'mutation { joinCommunity(slug: "rust-lyon") { status } }'
CREATE_POST = """
mutation CreatePost($title: String!) {
  createPost(input: {communitySlug: "rust-lyon", title: $title, body: "b", kind: QUESTION}) { id }
}
"""
ADD_COMMENT = 'mutation AddComment($id: ID!) { addComment(input: {postId: $id, body: "answer"}) { id } }'
REACT = "mutation React($id: ID!) { react(targetId: $id, reaction: THANKS) { total } }"
ACCEPT_ANSWER = "mutation Accept($id: ID!) { acceptAnswer(commentId: $id) { accepted } }"


async def row_counts() -> tuple[int, ...]:
    return tuple([await model.all().count() for model in (Post, PostTag, Comment, Reaction)])


class Boom(Exception):
    """A failure injected in the middle of a write."""


async def test_each_write_appends_its_verb_in_order(gql, owner_alice: Persona, member_bob: Persona):
    # given / when: a community's life through the API
    await gql.data(CREATE_COMMUNITY, token=owner_alice.token)
    await gql.data(JOIN, token=member_bob.token)
    post_id = (await gql.data(CREATE_POST, {"title": "How?"}, token=owner_alice.token))["createPost"]["id"]
    comment_id = (await gql.data(ADD_COMMENT, {"id": post_id}, token=member_bob.token))["addComment"]["id"]
    await gql.data(REACT, {"id": comment_id}, token=owner_alice.token)
    await gql.data(ACCEPT_ANSWER, {"id": comment_id}, token=owner_alice.token)
    # then
    community = await Community.get(slug="rust-lyon")
    assert await content_verbs(community) == [
        "JOINED",  # alice, creating it: no welcome for the owner
        "JOINED",  # bob
        "WELCOMED",  # bob, right after his JOINED
        "POSTED",
        "COMMENTED",
        "REACTED",
        "ANSWER_ACCEPTED",
    ]
    commented = await Activity.get(community_id=community.id, verb="COMMENTED")
    assert (commented.actor_id, commented.subject_type, gid(await Comment.get(id=commented.subject_id))) == (
        member_bob.member.id,
        "comment",
        comment_id,
    )


async def test_sequences_are_per_community(owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given
    other = await make_community(owner_alice, "Elsewhere")
    # when
    await make_post(owner_alice, other)
    await make_post(member_bob, public_community)
    # then
    assert [seq for seq, _ in await activity_log(other)][:2] == [1, 2]  # JOINED, POSTED
    assert await content_verbs(other) == ["JOINED", "POSTED"]
    assert await content_verbs(public_community) == ["JOINED", "JOINED", "WELCOMED", "POSTED"]


async def test_concurrent_writers_get_dense_sequences(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    other = await make_community(owner_alice, "Elsewhere")
    target = await make_post(owner_alice, public_community)
    # when: posts, comments and reactions in two communities, all at once
    writes = [make_post(member_bob, public_community, f"p{i}") for i in range(6)]
    writes += [make_post(owner_alice, other, f"o{i}") for i in range(6)]
    writes += [make_comment(member_bob, target, f"c{i}") for i in range(6)]
    writes += [
        do_react(who.ctx, gid(target), kind, add=True) for who in (owner_alice, member_bob) for kind in ReactionKind
    ]
    await asyncio.gather(*writes)
    # then: content_verbs asserts 1..n without gaps or duplicates
    verbs = await content_verbs(public_community)
    assert verbs[:3] == ["JOINED", "JOINED", "WELCOMED"]  # alice, then bob and his welcome
    assert sorted(verbs) == sorted(
        ["JOINED", "JOINED", "WELCOMED"] + ["POSTED"] * 7 + ["COMMENTED"] * 6 + ["REACTED"] * 8
    )
    assert sorted(await content_verbs(other)) == sorted(["JOINED"] + ["POSTED"] * 6)


@pytest.mark.parametrize("write", ["post", "comment", "react", "accept"])
async def test_a_write_whose_activity_fails_leaves_nothing(
    monkeypatch, owner_alice: Persona, member_bob: Persona, public_community: Community, write: str
):
    # given: a question with an answer, then appending activity breaks
    question = await make_post(owner_alice, public_community, kind=PostKind.QUESTION)
    answer = await make_comment(member_bob, question)
    before = (await activity_log(public_community), await Community.get(id=public_community.id))
    counts = await row_counts()

    async def broken_create(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise Boom

    monkeypatch.setattr(Activity, "create", broken_create)
    # when
    with pytest.raises(Boom):
        if write == "post":
            await make_post(member_bob, public_community, tags=["a", "b"])
        elif write == "comment":
            await make_comment(member_bob, question)
        elif write == "react":
            await do_react(owner_alice.ctx, gid(answer), ReactionKind.LIKE, add=True)
        else:
            await do_accept_answer(owner_alice.ctx, gid(answer))
    monkeypatch.undo()
    # then: no row of the write, no activity, and the sequence counter did not move
    assert await row_counts() == counts
    assert await Comment.filter(accepted=True).count() == 0
    assert await activity_log(public_community) == before[0]
    assert (await Community.get(id=public_community.id)).activity_seq == before[1].activity_seq
    # and the next write takes the next number
    await make_post(member_bob, public_community)
    assert await content_verbs(public_community) == [v for _, v in before[0] if v in CONTENT_VERBS] + ["POSTED"]
