"""The daily rollups: the report built from them equals the report from the raw tables, on random data.

Random communities (members joining, activity of every verb, posts of every kind and status, comments,
reactions and kudos over four weeks, today included) are rolled up part of the way, then all the way,
then changed after the fact (content deleted, a reaction undone, the log pruned): at each step every
figure of every period equals the one counted from the raw tables alone. So do the authors who stand in
for the log around its horizon, and the rollups made before they kept bitmaps (migration 0020).
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
from tortoise import connections

import settings
from models.activity import Activity, Verb
from models.communities import Community, Membership, MembershipStatus
from models.engagement import (
    EngagementChange,
    EngagementDay,
    EngagementMemberDay,
    EngagementQuestion,
    EngagementRollup,
)
from models.points import Kudos
from models.posts import Comment, Post, PostKind, PostStatus, Reaction, ReactionKind, TargetType
from resolvers.engagement import report as engagement
from resolvers.engagement.report import Report, engagement_report
from resolvers.engagement.rollups import roll_up_engagement
from tests.factories import make_member

NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
BEGAN = NOW - timedelta(days=24, hours=3)
PERIODS = ("DAY", "WEEK", "MONTH", "ALL")
RETENTION_DAYS = 10  # the log's horizon falls inside ALL, in the middle of a day


def moment(rng: random.Random, after: datetime = BEGAN) -> datetime:
    return after + (NOW - after) * rng.random()


async def populate(rng: random.Random, community: Community, members: list[int]) -> None:
    """About 250 rows of every kind at random times, some deleted, unpublished or written on a member's behalf."""
    joined = {member: moment(rng) for member in members}
    for member, at in joined.items():
        status = MembershipStatus.PENDING if rng.random() < 0.1 else MembershipStatus.ACTIVE
        await Membership.create(member_id=member, community_id=community.id, status=status, joined_at=at)
    activities = [
        (moment(rng, joined[m] - timedelta(days=1)), m, Verb.JOINED if m % 3 == 0 else rng.choice(list(Verb)))
        for m in rng.choices(members, k=120)
    ]
    activities += [(moment(rng), None, Verb.POSTED) for _ in range(5)]  # a member since erased
    posts = []
    for _ in range(30):
        author, published = rng.choice(members), moment(rng)
        kind, status = rng.choice(list(PostKind)), rng.choice([PostStatus.PUBLISHED] * 5 + [PostStatus.DRAFT])
        posts.append(
            await Post.create(
                community_id=community.id,
                author_id=author,
                kind=kind,
                status=status,
                title="t",
                body="b",
                body_html="b",
                published_at=published if status == PostStatus.PUBLISHED else None,
                deleted_at=published + timedelta(hours=1) if rng.random() < 0.15 else None,
            )
        )
        if rng.random() < 0.7:  # the log does not always match the content (pruned, or written another way)
            activities.append((published, author, Verb.POSTED))
    comments = []
    for _ in range(50):
        post, author = rng.choice(posts), rng.choice(members)
        at = moment(rng, post.published_at or BEGAN)
        deleted = at + timedelta(minutes=5) if rng.random() < 0.15 else None
        comments.append(
            await Comment.create(
                post_id=post.id, author_id=author, body="c", body_html="c", created_at=at, deleted_at=deleted
            )
        )
        activities.append((at, author, Verb.COMMENTED))
    reactions = {}
    for _ in range(60):
        target = rng.choice(posts + comments)
        kind = TargetType.POST if isinstance(target, Post) else TargetType.COMMENT
        key = (rng.choice(members), kind, target.id, rng.choice(list(ReactionKind)))
        reactions[key] = moment(rng)
    for (member, kind, target_id, reaction), at in reactions.items():
        await Reaction.create(member_id=member, target_type=kind, target_id=target_id, kind=reaction, created_at=at)
    for _ in range(10):
        giver, receiver = rng.sample(members, 2)
        await Kudos.create(
            community_id=community.id, giver_id=giver, receiver_id=receiver, message="m", created_at=moment(rng)
        )
    await Activity.bulk_create(
        [
            Activity(community_id=community.id, seq=seq, actor_id=actor, verb=verb, created_at=min(at, NOW))
            for seq, (at, actor, verb) in enumerate(sorted(activities, key=lambda row: row[0]), 1)
        ]
    )


async def reports(community_id: int) -> dict[str, Report]:
    return {period: await engagement_report(community_id, period, now=NOW) for period in PERIODS}


async def raw_reports(community_id: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Report]:
    """The same reports, every day read from the raw tables."""
    with monkeypatch.context() as raw:
        raw.setattr(engagement, "unrolled_from", lambda start, end, community: start)
        return await reports(community_id)


async def rollup_rows() -> list[tuple]:
    days = (
        await EngagementDay.all()
        .order_by("community_id", "day")
        .values_list("community_id", "day", "posts", "comments", "reactions", "kudos", "active", "active_logged")
    )
    members = (
        await EngagementMemberDay.all()
        .order_by("community_id", "day", "member_id")
        .values_list("community_id", "day", "member_id", "acted", "first_contribution_at", "authored_at")
    )
    questions = (
        await EngagementQuestion.all()
        .order_by("community_id", "day", "post_id")
        .values_list("community_id", "day", "post_id", "minutes")
    )
    return [*days, *members, *questions]


@pytest.fixture
async def random_communities(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Community:
    """Two random communities of the same members (the second's rows must never count in the first's)."""
    monkeypatch.setattr(settings, "ACTIVITY_RETENTION_DAYS", RETENTION_DAYS)
    rng = random.Random(request.param)
    members = [(await make_member(f"member{n}")).member.id for n in range(8)]
    measured = await Community.create(slug="measured", name="Measured", created_by_id=members[0], created_at=BEGAN)
    other = await Community.create(slug="other", name="Other", created_by_id=members[0], created_at=BEGAN)
    for community in (measured, other):
        await populate(rng, community, members)
    return measured


@pytest.mark.parametrize("random_communities", [1, 2, 3], indirect=True)
async def test_the_report_from_rollups_equals_the_raw_one(
    random_communities: Community, monkeypatch: pytest.MonkeyPatch
):
    community_id = random_communities.id
    raw = await raw_reports(community_id, monkeypatch)
    assert await reports(community_id) == raw  # nothing rolled up yet
    # when: the days up to five days ago are rolled up (those since, and today, are not yet)
    assert await roll_up_engagement(now=NOW - timedelta(days=5)) > 0
    assert await EngagementRollup.filter(community_id=community_id).values_list("rolled_until", flat=True) == [
        (NOW - timedelta(days=5)).date()
    ]
    assert await reports(community_id) == raw
    # when: every closed day is rolled up, and the rollup runs again
    await roll_up_engagement(now=NOW)
    rows = await rollup_rows()
    assert await roll_up_engagement(now=NOW) == 0
    assert await reports(community_id) == raw
    # when: every day is rebuilt from scratch
    await EngagementRollup.all().update(rolled_until=BEGAN.date())
    await roll_up_engagement(now=NOW)
    assert await rollup_rows() == rows  # idempotent: the same rows


@pytest.mark.parametrize("random_communities", [4, 5], indirect=True)
async def test_a_day_changed_after_its_rollup_is_read_raw_then_rebuilt(
    random_communities: Community, monkeypatch: pytest.MonkeyPatch
):
    community_id = random_communities.id
    await roll_up_engagement(now=NOW)
    # when: content of rolled-up days is deleted, a reaction undone, and the log pruned
    live = Post.filter(community_id=community_id, status=PostStatus.PUBLISHED, deleted_at__isnull=True)
    post = await live.filter(published_at__lt=NOW - timedelta(days=3)).order_by("published_at").first()
    assert post is not None
    await Post.filter(id=post.id).update(deleted_at=NOW)
    comment = await Comment.filter(post__community_id=community_id, deleted_at__isnull=True).order_by("id").first()
    assert comment is not None
    await Comment.filter(id=comment.id).update(deleted_at=NOW)
    await Reaction.filter(id=(await Reaction.all().order_by("created_at").first()).id).delete()
    await Activity.filter(created_at__lt=NOW - timedelta(days=RETENTION_DAYS + 2)).delete()
    assert await EngagementChange.filter(community_id=community_id).exists()
    # then: the reports count the change at once
    raw = await raw_reports(community_id, monkeypatch)
    assert await reports(community_id) == raw
    # and once the changed days are rebuilt, from the rollups
    assert await roll_up_engagement(now=NOW) > 0
    assert not await EngagementChange.exists()
    assert await reports(community_id) == raw


@pytest.mark.parametrize("random_communities", [6], indirect=True)
async def test_two_schedulers_at_once_roll_each_day_up_once(
    random_communities: Community, monkeypatch: pytest.MonkeyPatch
):
    raw = await raw_reports(random_communities.id, monkeypatch)
    # when: two processes' schedulers run the job at the same time
    rolled = await asyncio.gather(roll_up_engagement(now=NOW), roll_up_engagement(now=NOW))
    # then: each of the two communities' 24 closed days was rolled up by one of them
    assert sum(rolled) == 2 * 24
    assert await reports(random_communities.id) == raw


async def authored(community: Community, author: int, published: datetime) -> None:
    """A post whose activity is not in the log (pruned, or written another way)."""
    await Post.create(
        community_id=community.id,
        author_id=author,
        kind=PostKind.DISCUSSION,
        title="t",
        body="b",
        body_html="b",
        published_at=published,
    )


async def test_authors_stand_in_for_the_log_before_its_horizon(monkeypatch: pytest.MonkeyPatch):
    # given: a log kept 10 days, its horizon on March 1 at 12:00 (in MONTH and ALL), and four posts outside the log
    monkeypatch.setattr(settings, "ACTIVITY_RETENTION_DAYS", RETENTION_DAYS)
    members = [(await make_member(f"author{n}")).member.id for n in range(4)]
    community = await Community.create(slug="kept", name="Kept", created_by_id=members[0], created_at=BEGAN)
    horizon = NOW - timedelta(days=RETENTION_DAYS)
    for author, hours in zip(members, (-48, -1, 1, 48), strict=True):  # the day before and after, the same day
        await authored(community, author, horizon + timedelta(hours=hours))
    raw = await raw_reports(community.id, monkeypatch)
    # then: the authors before the horizon are active; all four contributed
    assert (raw["ALL"].active_members, raw["ALL"].contributors) == (2, 4)
    assert [point.active_members for point in raw["ALL"].series if point.posts] == [1, 1, 0]
    # and the rolled-up days say the same
    await roll_up_engagement(now=NOW)
    assert await reports(community.id) == raw


@pytest.mark.parametrize("random_communities", [7], indirect=True)
async def test_rollups_made_before_the_bitmaps_are_made_again(
    random_communities: Community, monkeypatch: pytest.MonkeyPatch
):
    community_id = random_communities.id
    raw = await raw_reports(community_id, monkeypatch)
    await roll_up_engagement(now=NOW)
    # when: migration 0020 finds days rolled up without bitmaps
    await EngagementDay.all().update(acted_members=None, authors=None)
    for statement in import_module("migrations.0020_engagement_bitmaps").FORGET_ROLLUPS:
        await connections.get("default").execute_script(statement)
    # then: the report reads the raw tables until the scheduler has rolled up every day again
    await assert_read_raw_until_made_again(community_id, raw, days=2 * 24)


@pytest.mark.parametrize("random_communities", [8], indirect=True)
async def test_days_rolled_up_without_bitmaps_are_read_raw_and_made_again(
    random_communities: Community, monkeypatch: pytest.MonkeyPatch
):
    community_id = random_communities.id
    raw = await raw_reports(community_id, monkeypatch)
    await roll_up_engagement(now=NOW)
    # when: a process from before migration 0020 (a rolling deployment) rolled up three days without bitmaps
    unmapped = await EngagementDay.filter(community_id=community_id).order_by("day").offset(5).limit(3)
    await EngagementDay.filter(id__in=[day.id for day in unmapped]).update(acted_members=None, authors=None)
    # then: the report reads those days from the raw tables, and the next rollup makes them again
    await assert_read_raw_until_made_again(community_id, raw, days=3)


async def assert_read_raw_until_made_again(community_id: int, raw: dict[str, Report], *, days: int) -> None:
    """The report equals the raw one before the next rollup, which makes `days` days with their bitmaps, and after."""
    assert await reports(community_id) == raw
    assert await roll_up_engagement(now=NOW) == days
    assert not await EngagementDay.filter(acted_members__isnull=True).exists()
    assert await reports(community_id) == raw
