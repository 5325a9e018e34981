"""Top contributor of the week: last week's leader, crowned once per community and week."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from models.communities import Community
from models.notifications import Notification, NotificationKind
from models.points import PointsEntry
from models.recognition import BadgeAward
from resolvers.recognition import weekly_badges
from resolvers.recognition.standings import Period, period_start, week_key
from tests.factories import Persona, make_post


@pytest.fixture(autouse=True)
def nothing_crowned_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weekly_badges, "_crowned_week", None)


async def earn_at(persona: Persona, community: Community, posts: int, moment) -> None:  # noqa: ANN001
    """`posts` posts (5 points each) by the persona, their points dated `moment`."""
    earlier = set(await PointsEntry.filter(member_id=persona.member.id).values_list("id", flat=True))
    for _ in range(posts):
        await make_post(persona, community)
    new = await PointsEntry.filter(member_id=persona.member.id).exclude(id__in=earlier).values_list("id", flat=True)
    await PointsEntry.filter(id__in=new).update(created_at=moment)


async def test_last_weeks_leader_is_crowned_once(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: last week bob 10, alice 5; this week alice 15 (this week's lead is not last week's)
    this_week = period_start(Period.WEEK)
    last_sunday = this_week - timedelta(seconds=1)
    await earn_at(member_bob, public_community, 2, last_sunday)
    await earn_at(owner_alice, public_community, 1, this_week - timedelta(days=7))  # last Monday, first instant
    await earn_at(owner_alice, public_community, 3, this_week)
    # when
    crowned = await weekly_badges.award_weekly_top()
    # then
    award = await BadgeAward.get(badge__slug="top-contributor").prefetch_related("badge")
    assert crowned == 1
    assert (award.member_id, award.period) == (member_bob.member.id, week_key(last_sunday))
    assert award.reason.startswith("10 points in the week of")
    assert (award.badge.tier.value, award.badge.automatic) == ("GOLD", True)
    assert await Notification.filter(member_id=member_bob.member.id, kind=NotificationKind.BADGE_AWARDED).exists()
    # a later round (another process, or the same after a restart) crowns no one again
    weekly_badges._crowned_week = None
    assert await weekly_badges.award_weekly_top() == 0
    assert await BadgeAward.filter(badge__slug="top-contributor").count() == 1


async def test_each_week_has_its_own_crown(owner_alice: Persona, member_bob: Persona, public_community: Community):
    this_week = period_start(Period.WEEK)
    await earn_at(member_bob, public_community, 1, this_week - timedelta(days=7))
    assert await weekly_badges.award_weekly_top() == 1
    # a week later, bob's second week on top is a second award
    await earn_at(member_bob, public_community, 1, this_week)
    assert await weekly_badges.award_weekly_top(this_week + timedelta(days=7)) == 1
    periods = await BadgeAward.filter(badge__slug="top-contributor").order_by("id").values_list("period", flat=True)
    assert periods == [week_key(this_week - timedelta(days=7)), week_key(this_week)]


async def test_processes_crowning_at_once_award_one_badge(member_bob: Persona, public_community: Community):
    await earn_at(member_bob, public_community, 1, period_start(Period.WEEK) - timedelta(days=1))
    # when: two scheduler rounds race (as two processes would)
    results = await asyncio.gather(weekly_badges.award_weekly_top(), weekly_badges.award_weekly_top())
    # then
    assert sorted(results) == [0, 1]
    assert await BadgeAward.filter(badge__slug="top-contributor").count() == 1
