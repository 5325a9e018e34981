"""react / unreact: idempotent, counted per kind, per viewer, and safe under concurrency."""

from __future__ import annotations

import asyncio

from models.communities import Community
from models.posts import Reaction, ReactionKind
from resolvers.posts.reactions import do_react
from tests.factories import Persona, gid, introduction_of, make_comment, make_post
from tests.posts.conftest import activity_log, content_verbs

SUMMARY = "total counts { kind count } viewerReactions"
REACT = f"mutation React($id: ID!, $kind: ReactionKind!) {{ react(targetId: $id, reaction: $kind) {{ {SUMMARY} }} }}"
UNREACT = (
    f"mutation Unreact($id: ID!, $kind: ReactionKind!) {{ unreact(targetId: $id, reaction: $kind) {{ {SUMMARY} }} }}"
)
POST_REACTIONS = f"query Post($id: ID!) {{ post(id: $id) {{ reactions {{ {SUMMARY} }} }} }}"
COMMENT_REACTIONS = f"query Node($id: ID!) {{ node(id: $id) {{ ... on Comment {{ reactions {{ {SUMMARY} }} }} }} }}"


async def react(gql, who: Persona, target_id: str, kind: str = "LIKE") -> dict:
    return (await gql.data(REACT, {"id": target_id, "kind": kind}, token=who.token))["react"]


async def test_reacting_twice_counts_once(gql, owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given
    post = await make_post(owner_alice, public_community)
    await react(gql, member_bob, gid(post))
    before = await activity_log(public_community)
    # when
    summary = await react(gql, member_bob, gid(post))
    # then
    assert summary == {"total": 1, "counts": [{"kind": "LIKE", "count": 1}], "viewerReactions": ["LIKE"]}
    assert await Reaction.all().count() == 1
    assert await activity_log(public_community) == before  # nothing happened, nothing logged


async def test_counts_per_kind_and_reactions_per_viewer(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    await react(gql, member_bob, gid(post), "LIKE")
    await react(gql, member_bob, gid(post), "THANKS")
    await react(gql, owner_alice, gid(post), "LIKE")
    # when
    as_bob = (await gql.data(POST_REACTIONS, {"id": gid(post)}, token=member_bob.token))["post"]["reactions"]
    as_alice = (await gql.data(POST_REACTIONS, {"id": gid(post)}, token=owner_alice.token))["post"]["reactions"]
    as_anonymous = (await gql.data(POST_REACTIONS, {"id": gid(post)}))["post"]["reactions"]
    # then
    counts = [{"kind": "LIKE", "count": 2}, {"kind": "THANKS", "count": 1}]
    assert as_bob == {"total": 3, "counts": counts, "viewerReactions": ["LIKE", "THANKS"]}
    assert as_alice == {"total": 3, "counts": counts, "viewerReactions": ["LIKE"]}
    assert as_anonymous == {"total": 3, "counts": counts, "viewerReactions": []}


async def test_unreact_removes_only_that_reaction(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    await react(gql, member_bob, gid(post), "LIKE")
    await react(gql, member_bob, gid(post), "INSIGHTFUL")
    # when
    summary = (await gql.data(UNREACT, {"id": gid(post), "kind": "LIKE"}, token=member_bob.token))["unreact"]
    # then
    assert summary == {"total": 1, "counts": [{"kind": "INSIGHTFUL", "count": 1}], "viewerReactions": ["INSIGHTFUL"]}


async def test_unreacting_an_absent_reaction_changes_nothing(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    await react(gql, owner_alice, gid(post), "LIKE")
    before = await activity_log(public_community)
    # when
    summary = (await gql.data(UNREACT, {"id": gid(post), "kind": "LIKE"}, token=member_bob.token))["unreact"]
    # then
    assert summary == {"total": 1, "counts": [{"kind": "LIKE", "count": 1}], "viewerReactions": []}
    assert await activity_log(public_community) == before


async def test_reacting_to_a_comment(gql, owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given
    post = await make_post(owner_alice, public_community)
    comment = await make_comment(owner_alice, post)
    # when
    summary = await react(gql, member_bob, gid(comment), "CELEBRATE")
    # then
    assert summary == {"total": 1, "counts": [{"kind": "CELEBRATE", "count": 1}], "viewerReactions": ["CELEBRATE"]}
    read = (await gql.data(COMMENT_REACTIONS, {"id": gid(comment)}, token=member_bob.token))["node"]["reactions"]
    assert read == summary
    post_side = (await gql.data(POST_REACTIONS, {"id": gid(post)}))["post"]["reactions"]
    assert post_side["total"] == 0  # the post and its comment are counted apart


async def test_a_post_and_a_comment_with_the_same_pk_are_counted_apart(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: post 1 (bob's introduction, written when he joined) and comment 1 share a primary key
    post = await introduction_of(member_bob, public_community)
    comment = await make_comment(owner_alice, post)
    assert post.id == comment.id
    await react(gql, owner_alice, gid(post), "LIKE")
    # when
    read = (await gql.data(COMMENT_REACTIONS, {"id": gid(comment)}, token=owner_alice.token))["node"]["reactions"]
    # then
    assert read == {"total": 0, "counts": [], "viewerReactions": []}


async def test_non_members_are_forbidden_and_anonymous_unauthenticated(
    gql, owner_alice: Persona, outsider_mallory: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    # when
    by_outsider = await gql.error(REACT, {"id": gid(post), "kind": "LIKE"}, token=outsider_mallory.token)
    by_anonymous = await gql.error(REACT, {"id": gid(post), "kind": "LIKE"})
    unreact = await gql.error(UNREACT, {"id": gid(post), "kind": "LIKE"}, token=outsider_mallory.token)
    # then
    assert by_outsider["extensions"]["code"] == unreact["extensions"]["code"] == "FORBIDDEN"
    assert by_anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Reaction.all().count() == 0


async def test_only_posts_and_comments_take_reactions(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # when
    error = await gql.error(REACT, {"id": gid(public_community), "kind": "LIKE"}, token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "targetId"}


async def test_reacting_twice_at_once_counts_once(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    before = await content_verbs(public_community)
    # when
    await asyncio.gather(*(do_react(member_bob.ctx, gid(post), ReactionKind.LIKE, add=True) for _ in range(3)))
    # then
    assert await Reaction.filter(target_id=post.id).count() == 1
    assert await content_verbs(public_community) == [*before, "REACTED"]


async def test_reacting_twice_at_once_over_http_counts_once(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    # when
    summaries = await asyncio.gather(*(react(gql, member_bob, gid(post)) for _ in range(2)))
    # then
    assert all(s["viewerReactions"] == ["LIKE"] for s in summaries)
    assert await Reaction.filter(target_id=post.id).count() == 1


async def test_viewer_reactions_are_listed_in_the_order_of_counts(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    for kind in ("CELEBRATE", "LIKE", "THANKS"):
        await react(gql, member_bob, gid(post), kind)
    # when
    summary = (await gql.data(POST_REACTIONS, {"id": gid(post)}, token=member_bob.token))["post"]["reactions"]
    # then
    assert summary["viewerReactions"] == [c["kind"] for c in summary["counts"]] == ["LIKE", "THANKS", "CELEBRATE"]


REACT_TWICE = f"""
mutation ReactTwice($id: ID!) {{
  x: react(targetId: $id, reaction: LIKE) {{ {SUMMARY} }}
  y: react(targetId: $id, reaction: THANKS) {{ {SUMMARY} }}
  z: unreact(targetId: $id, reaction: LIKE) {{ {SUMMARY} }}
}}
"""


async def test_reactions_in_one_request_each_see_the_ones_before(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(owner_alice, public_community)
    # when
    data = await gql.data(REACT_TWICE, {"id": gid(post)}, token=member_bob.token)
    # then
    assert data["x"] == {"total": 1, "counts": [{"kind": "LIKE", "count": 1}], "viewerReactions": ["LIKE"]}
    assert data["y"] == {
        "total": 2,
        "counts": [{"kind": "LIKE", "count": 1}, {"kind": "THANKS", "count": 1}],
        "viewerReactions": ["LIKE", "THANKS"],
    }
    assert data["z"] == {"total": 1, "counts": [{"kind": "THANKS", "count": 1}], "viewerReactions": ["THANKS"]}
