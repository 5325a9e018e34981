"""Each leaderboard entry names the member's level, for the web leaderboard (issue 13): read, live, batched."""

from __future__ import annotations

from contextlib import aclosing

from gql import GraphQLRequest

from models.communities import Community, Membership
from tests.factories import Persona, count_queries, join, make_member, make_post
from tests.realtime.test_activity_subscription import subscribed
from tests.recognition.test_badge_awarded import next_of

BOARD = """
query B($slug: String!) {
  community(slug: $slug) {
    leaderboard(period: ALL) { rank level member { username } }
    viewerRank(period: ALL) { rank level }
  }
}
"""
LIVE = """
subscription L($slug: String!) {
  leaderboardChanged(communitySlug: $slug, period: ALL, first: 5) { entries { level member { username } } }
}
"""


async def set_level(persona: Persona, community: Community, level: str) -> None:
    await Membership.filter(member_id=persona.member.id, community_id=community.id).update(level=level)


async def test_entries_show_each_members_level_in_that_community(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community, private_community: Community
):
    # given: bob is a LEADER here but a NEWCOMER in the private community, where he has points too
    await set_level(member_bob, public_community, "LEADER")
    for community in (public_community, public_community, private_community):
        await make_post(member_bob, community)
    await make_post(owner_alice, public_community)
    # when
    data = await gql.data(BOARD, {"slug": public_community.slug}, token=member_bob.token)
    # then
    board = data["community"]
    assert [(e["member"]["username"], e["level"]) for e in board["leaderboard"]] == [
        ("bob", "LEADER"),
        ("alice", "NEWCOMER"),
    ]
    assert board["viewerRank"] == {"rank": 1, "level": "LEADER"}
    private = await gql.data(BOARD, {"slug": private_community.slug}, token=member_bob.token)
    assert private["community"]["viewerRank"] == {"rank": 1, "level": "NEWCOMER"}


async def test_levels_are_public_like_the_board_but_not_outside_a_hidden_community(
    gql, member_bob: Persona, outsider_mallory: Persona, public_community: Community, private_community: Community
):
    await set_level(member_bob, public_community, "REGULAR")
    await make_post(member_bob, public_community)
    await make_post(member_bob, private_community)
    anonymous = await gql.data(BOARD, {"slug": public_community.slug})
    assert anonymous["community"]["leaderboard"] == [{"rank": 1, "level": "REGULAR", "member": {"username": "bob"}}]
    assert anonymous["community"]["viewerRank"] is None
    assert (await gql.data(BOARD, {"slug": private_community.slug}, token=outsider_mallory.token))["community"] is None


async def test_a_whole_board_reads_its_levels_in_one_statement(gql, member_bob: Persona, public_community: Community):
    for name in ("carol", "dave", "erin", "frank"):
        persona = await make_member(name)
        await join(persona, public_community)
        await make_post(persona, public_community)
    with count_queries() as statements:
        data = await gql.data(BOARD, {"slug": public_community.slug}, token=member_bob.token)
    assert len(data["community"]["leaderboard"]) == 4
    assert len([s for s in statements if 'FROM "membership"' in s and '"level"' in s]) == 1


async def test_a_live_board_shows_a_level_up_with_the_points_that_earned_it(
    server_sharing_redis, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    await make_post(member_bob, public_community)
    async with subscribed(server_sharing_redis, owner_alice) as session:
        variables = {"slug": public_community.slug}
        async with aclosing(session.subscribe(GraphQLRequest(LIVE, variable_values=variables))) as board:
            first = await next_of(board, "leaderboardChanged")
            assert first["entries"] == [{"level": "NEWCOMER", "member": {"username": "bob"}}]
            # when: his second post takes him to 10 points, the MEMBER level
            await make_post(member_bob, public_community)
            moved = await next_of(board, "leaderboardChanged")
            assert moved["entries"] == [{"level": "MEMBER", "member": {"username": "bob"}}]
