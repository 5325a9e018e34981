"""`leaderboardChanged` and rank notifications, followed by a real WebSocket client across Redis."""

from __future__ import annotations

from contextlib import aclosing

from gql import GraphQLRequest

from models.communities import Community
from resolvers.communities.moderation import do_set_banned
from tests.factories import Persona, make_post
from tests.notifications.test_notifications import from_now
from tests.realtime.test_activity_subscription import subscribed
from tests.recognition.test_badge_awarded import next_of

BOARD = """
subscription L($slug: String!) {
  leaderboardChanged(communitySlug: $slug, period: WEEK, first: 3) {
    period
    changes { rank previousRank points member { username } }
    entries { rank points member { username } }
  }
}
"""
NOTIFICATIONS = "subscription N($after: String) { notifications(after: $after) { kind summary } }"


def entries(message: dict) -> list[tuple[int, str, int]]:
    return [(e["rank"], e["member"]["username"], e["points"]) for e in message["entries"]]


def changes(message: dict) -> list[tuple[str, int | None, int | None]]:
    return [(c["member"]["username"], c["rank"], c["previousRank"]) for c in message["changes"]]


async def test_a_live_board_shows_each_move_as_it_happens(
    server_sharing_redis,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
):
    await make_post(owner_alice, public_community)
    variables = {"slug": public_community.slug}
    async with subscribed(server_sharing_redis, member_bob) as session:
        async with aclosing(session.subscribe(GraphQLRequest(BOARD, variable_values=variables))) as board:
            # the board as it stands, at once
            now = await next_of(board, "leaderboardChanged")
            assert (now["period"], entries(now), changes(now)) == ("WEEK", [(1, "alice", 5)], [])
            # when: bob posts; a tie at 5 puts him second (alice is the earlier member)
            await make_post(member_bob, public_community)
            joined = await next_of(board, "leaderboardChanged")
            assert (entries(joined), changes(joined)) == ([(1, "alice", 5), (2, "bob", 5)], [("bob", 2, None)])
            # when: he posts again, and passes her
            await make_post(member_bob, public_community)
            passed = await next_of(board, "leaderboardChanged")
            assert entries(passed) == [(1, "bob", 10), (2, "alice", 5)]
            assert changes(passed) == [("bob", 1, 2), ("alice", 2, 1)]
            # when: a manager bans bob, the board loses him
            await do_set_banned(owner_alice.ctx, public_community.slug, "bob", True)
            banned = await next_of(board, "leaderboardChanged")
            assert (entries(banned), changes(banned)) == ([(1, "alice", 5)], [("alice", 1, 2), ("bob", None, 1)])


async def test_the_member_passed_hears_it_live(
    server_sharing_redis,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
):
    # given: alice leads with 5, bob has none; alice follows her notifications
    await make_post(owner_alice, public_community)
    after = await from_now(owner_alice)
    async with subscribed(server_sharing_redis, owner_alice) as session:
        async with aclosing(session.subscribe(GraphQLRequest(NOTIFICATIONS, variable_values=after))) as notes:
            # when: bob earns 10 in two posts (his first post's badge notifies him, not her)
            await make_post(member_bob, public_community)
            await make_post(member_bob, public_community)
            # then
            assert await next_of(notes, "notifications") == {
                "kind": "OVERTAKEN",
                "summary": "Bob passed you: #2 in this week's leaderboard",
            }
