"""Which contributions earn points, which never do, and undoing takes them back (DEFAULT_RULES values)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.communities import Community
from models.points import PointsEntry
from models.posts import Post, PostKind, ReactionKind
from resolvers.errors import NotFound
from resolvers.posts import posts
from resolvers.posts.comments import do_accept_answer
from resolvers.posts.reactions import do_react
from tests.factories import Persona, gid, introduction_of, join, make_comment, make_member, make_post

POINTS = "query P($slug: String!) { community(slug: $slug) { viewerMembership { points } } }"


async def points(gql, persona: Persona, community: Community) -> int:
    data = await gql.data(POINTS, {"slug": community.slug}, token=persona.token)
    return data["community"]["viewerMembership"]["points"]


async def react(persona: Persona, target, kind: ReactionKind = ReactionKind.LIKE, add: bool = True) -> None:
    await do_react(persona.ctx, gid(target), kind, add=add)


async def test_publishing_a_post_earns_points_but_an_introduction_does_not(
    gql, member_bob: Persona, public_community: Community
):
    assert await points(gql, member_bob, public_community) == 0  # joined: introduced, nothing earned
    await make_post(member_bob, public_community, "Hello")
    assert await points(gql, member_bob, public_community) == 5


async def test_answering_someone_elses_question_earns_and_your_own_does_not(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    question = await make_post(owner_alice, public_community, "How?", kind=PostKind.QUESTION)
    answer = await make_comment(member_bob, question, "Like this")
    await make_comment(owner_alice, question, "Thanks, and my own idea")
    await make_comment(member_bob, question, "A reply is not an answer", parent=answer)
    discussion = await make_post(owner_alice, public_community, "Chat")
    await make_comment(member_bob, discussion, "A comment on a discussion earns nothing")
    assert await points(gql, member_bob, public_community) == 2
    assert await points(gql, owner_alice, public_community) == 5 + 5  # her two posts only


async def test_an_accepted_answer_earns_and_moving_the_acceptance_takes_it_back(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    carol = await make_member("carol")
    await join(carol, public_community)
    question = await make_post(owner_alice, public_community, "Which?", kind=PostKind.QUESTION)
    bobs, carols = await make_comment(member_bob, question, "A"), await make_comment(carol, question, "B")
    await do_accept_answer(owner_alice.ctx, gid(bobs))
    assert await points(gql, member_bob, public_community) == 2 + 15
    await do_accept_answer(owner_alice.ctx, gid(carols))
    assert await points(gql, member_bob, public_community) == 2
    assert await points(gql, carol, public_community) == 2 + 15
    assert await PointsEntry.filter(member_id=member_bob.member.id, reason="REVERSAL").count() == 1


async def test_accepting_your_own_answer_earns_nothing(gql, owner_alice: Persona, public_community: Community):
    question = await make_post(owner_alice, public_community, "Mine", kind=PostKind.QUESTION)
    mine = await make_comment(owner_alice, question, "Self-answer")
    await do_accept_answer(owner_alice.ctx, gid(mine))
    assert await points(gql, owner_alice, public_community) == 5


async def test_reactions_from_others_earn_yours_do_not_and_unreacting_takes_back(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    post = await make_post(member_bob, public_community, "Nice")
    await react(member_bob, post)  # to himself
    await react(owner_alice, post, ReactionKind.LIKE)
    await react(owner_alice, post, ReactionKind.THANKS)
    assert await points(gql, member_bob, public_community) == 5 + 2
    await react(owner_alice, post, ReactionKind.THANKS, add=False)
    assert await points(gql, member_bob, public_community) == 5 + 1


async def test_flipping_a_reaction_earns_nothing_and_uses_up_the_pair_cap(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    post = await make_post(member_bob, public_community, "Farm me")
    for _ in range(10):  # react, unreact, react...: each react a new row, each unreact a reversal
        await react(owner_alice, post)
        await react(owner_alice, post, add=False)
    await react(owner_alice, post)
    # each flip took its point back, and the cap of 5 a day from alice was used by the first five
    assert await points(gql, member_bob, public_community) == 5


async def test_a_pair_of_accounts_cannot_farm_past_the_daily_caps(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: alice reacts with every kind to ten of bob's posts (40 reactions)
    bobs = [await make_post(member_bob, public_community, f"p{i}") for i in range(10)]
    for post in bobs:
        for kind in ReactionKind:
            await react(owner_alice, post, kind)
    # then: 5 from alice (REACTION_PAIR_DAILY_CAP); others still count, up to REACTION_DAILY_CAP (20)
    assert await points(gql, member_bob, public_community) == 50 + 5
    fans = [await make_member(f"fan{i}") for i in range(6)]
    for fan in fans:
        await join(fan, public_community)
        for post in bobs[:4]:
            await react(fan, post)
    assert await points(gql, member_bob, public_community) == 50 + 20


async def test_deleting_a_post_takes_back_its_points_and_its_reactions(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    post = await make_post(member_bob, public_community, "Oops")
    await react(owner_alice, post)
    await posts.do_delete(member_bob.ctx, gid(post), "Post")
    assert await points(gql, member_bob, public_community) == 0
    with pytest.raises(NotFound):  # already deleted: nothing more is taken
        await posts.do_delete(owner_alice.ctx, gid(post), "Post")
    assert await PointsEntry.filter(member_id=member_bob.member.id, reason="REVERSAL").count() == 2


async def test_welcoming_a_newcomer_within_48_hours_earns_once(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    introduction = await introduction_of(member_bob, public_community)
    await make_comment(owner_alice, introduction, "Welcome Bob!")
    await make_comment(owner_alice, introduction, "And again")
    await make_comment(member_bob, introduction, "Thanks!")  # the newcomer himself
    assert await points(gql, owner_alice, public_community) == 5
    assert await points(gql, member_bob, public_community) == 0


async def test_welcoming_after_48_hours_earns_nothing(gql, owner_alice: Persona, member_bob: Persona, public_community):
    introduction = await introduction_of(member_bob, public_community)
    await Post.filter(id=introduction.id).update(published_at=datetime.now(UTC) - timedelta(hours=49))
    introduction.published_at = datetime.now(UTC) - timedelta(hours=49)
    await make_comment(owner_alice, introduction, "Late welcome")
    assert await points(gql, owner_alice, public_community) == 0
