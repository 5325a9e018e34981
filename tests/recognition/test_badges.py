"""Automatic badges: awarded once when earned, announced, and progress toward each visible."""

from __future__ import annotations

import asyncio

from models.activity import Activity
from models.communities import Community
from models.posts import PostKind
from models.recognition import BadgeAward, BadgeTier
from resolvers.posts.comments import do_accept_answer
from resolvers.recognition.automatic_badges import CATALOGUE
from tests.factories import Persona, gid, introduction_of, make_comment, make_post

MINE = """
query M($slug: String!) {
  community(slug: $slug) {
    viewerMembership {
      badges { badge { slug tier automatic } awardedBy { username } }
      badgeProgress { slug current target earned }
    }
  }
}
"""


async def mine(gql, persona: Persona, community: Community) -> dict:
    return (await gql.data(MINE, {"slug": community.slug}, token=persona.token))["community"]["viewerMembership"]


def test_the_catalogue_has_fifteen_badges_in_three_tiers_with_stable_slugs():
    assert len(CATALOGUE) >= 15
    assert {badge.tier for badge in CATALOGUE} == set(BadgeTier)
    assert len({badge.slug for badge in CATALOGUE}) == len(CATALOGUE)
    assert "first-post" in {badge.slug for badge in CATALOGUE}


async def test_a_first_post_earns_first_post_once_and_announces_it(
    gql, member_bob: Persona, public_community: Community
):
    await make_post(member_bob, public_community, "one")
    await make_post(member_bob, public_community, "two")
    held = (await mine(gql, member_bob, public_community))["badges"]
    assert held == [{"badge": {"slug": "first-post", "tier": "BRONZE", "automatic": True}, "awardedBy": None}]
    announced = await Activity.filter(community_id=public_community.id, verb="BADGE_AWARDED").count()
    assert announced == 1


async def test_progress_shows_how_close_the_next_badges_are(gql, member_bob: Persona, public_community: Community):
    for n in range(3):
        await make_post(member_bob, public_community, f"post {n}")
    progress = {p["slug"]: p for p in (await mine(gql, member_bob, public_community))["badgeProgress"]}
    assert progress["first-post"] == {"slug": "first-post", "current": 1, "target": 1, "earned": True}
    assert progress["contributor"] == {"slug": "contributor", "current": 3, "target": 10, "earned": False}
    assert progress["helpful"]["current"] == 0


async def test_an_accepted_answer_earns_helpful_for_the_answerer(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    question = await make_post(owner_alice, public_community, "How?", kind=PostKind.QUESTION)
    answer = await make_comment(member_bob, question, "So")
    await do_accept_answer(owner_alice.ctx, gid(answer))
    slugs = {b["badge"]["slug"] for b in (await mine(gql, member_bob, public_community))["badges"]}
    assert slugs == {"helpful"}


async def test_answering_the_welcomes_on_your_introduction_earns_introduced(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    introduction = await introduction_of(member_bob, public_community)
    await make_comment(owner_alice, introduction, "Welcome!")
    assert (await mine(gql, member_bob, public_community))["badges"] == []
    await make_comment(member_bob, introduction, "Thank you all")
    slugs = {b["badge"]["slug"] for b in (await mine(gql, member_bob, public_community))["badges"]}
    assert slugs == {"introduced"}
    assert await BadgeAward.filter(member_id=member_bob.member.id).count() == 1


async def test_two_simultaneous_first_posts_earn_one_badge(member_bob: Persona, public_community: Community):
    # when: two posts written at once (two connections on PostgreSQL), each able to earn "first-post"
    await asyncio.gather(*(make_post(member_bob, public_community, f"at once {n}") for n in range(2)))
    # then
    awards = await BadgeAward.filter(member_id=member_bob.member.id, badge__slug="first-post").count()
    announced = await Activity.filter(community_id=public_community.id, verb="BADGE_AWARDED").count()
    assert (awards, announced) == (1, 1)
