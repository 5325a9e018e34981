"""Freshness: posts today against the daily goal, the streak of days that met it, and when it is stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.communities import Community
from models.posts import Post, PostKind
from resolvers.freshness.freshness import freshness, start_of_day
from tests.factories import Persona, make_post

FRESHNESS = """
query F($slug: String!) {
  community(slug: $slug) { freshness { postsToday dailyGoal streakDays lastPostAt stale } }
}
"""
SET_GOAL = "mutation G($slug: String!, $goal: Int!) { setDailyGoal(communitySlug: $slug, goal: $goal) { id } }"


async def published_on(author: Persona, community: Community, *moments: datetime) -> None:
    for moment in moments:
        post = await make_post(author, community)
        await Post.filter(id=post.id).update(published_at=moment)


async def test_the_streak_counts_days_that_met_the_goal(member_bob: Persona, public_community: Community):
    # given: a goal of 2; today 2 posts, yesterday 2, the day before 1 (missed), three days ago 2
    await Community.filter(id=public_community.id).update(daily_goal=2)
    community = await Community.get(id=public_community.id)
    now = start_of_day(datetime.now(UTC)) + timedelta(hours=15)
    day = timedelta(days=1)
    await published_on(member_bob, community, now - timedelta(hours=5), now - timedelta(hours=1))  # today
    await published_on(member_bob, community, now - day, now - day)  # yesterday
    await published_on(member_bob, community, now - 2 * day)  # missed the goal
    await published_on(member_bob, community, now - 3 * day, now - 3 * day)
    # then: today and yesterday; the introduction of bob does not count
    figures = await freshness(community, now=now)
    assert (figures.posts_today, figures.daily_goal, figures.streak_days) == (2, 2, 2)
    assert figures.last_post_at == now - timedelta(hours=1)
    assert figures.stale is False
    # an hour earlier, today had one post: today is in progress, the streak is yesterday's alone
    earlier = await freshness(community, now=now - timedelta(hours=2))
    assert (earlier.posts_today, earlier.streak_days) == (1, 1)


async def test_a_community_is_stale_past_the_alert_hour_with_nothing_today(
    member_bob: Persona, public_community: Community
):
    today = start_of_day(datetime.now(UTC))
    await published_on(member_bob, public_community, today - timedelta(hours=2))  # 22:00 yesterday
    morning = await freshness(public_community, now=today + timedelta(hours=9))
    afternoon = await freshness(public_community, now=today + timedelta(hours=13))  # the alert hour is 12
    assert (morning.posts_today, morning.stale) == (0, False)
    assert (afternoon.posts_today, afternoon.stale) == (0, True)
    a_week_later = await freshness(public_community, now=today + timedelta(days=7, hours=1))
    assert a_week_later.stale is True  # nothing for 24 hours, whatever the hour


async def test_managers_set_the_goal_and_everyone_inside_reads_freshness(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    await gql.data(SET_GOAL, {"slug": public_community.slug, "goal": 3}, token=owner_alice.token)
    await make_post(member_bob, public_community, kind=PostKind.QUESTION)
    figures = (await gql.data(FRESHNESS, {"slug": public_community.slug}))["community"]["freshness"]
    assert (figures["postsToday"], figures["dailyGoal"], figures["streakDays"]) == (1, 3, 0)
    assert figures["lastPostAt"] is not None
    refused = await gql.error(SET_GOAL, {"slug": public_community.slug, "goal": 3}, token=member_bob.token)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    for goal in (0, 101):
        bad = await gql.error(SET_GOAL, {"slug": public_community.slug, "goal": goal}, token=owner_alice.token)
        assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "goal"}
    assert (await Community.get(id=public_community.id)).daily_goal == 3
