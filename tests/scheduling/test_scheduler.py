"""The scheduler: stale alerts, newcomer care, and each job's effect once even with two processes at once."""

from __future__ import annotations

import asyncio
import os
import sys
from contextlib import aclosing
from datetime import UTC, datetime, timedelta

from gql import GraphQLRequest

import settings
from models.activity import Activity
from models.communities import Community, Membership
from models.notifications import Notification
from models.points import PointsEntry
from models.posts import Post, PostKind
from resolvers.freshness.freshness import start_of_day
from resolvers.outbox import writing
from resolvers.posts import posts
from resolvers.recognition.automatic_badges import CATALOGUE, badge_row
from resolvers.recognition.badges import record_award
from resolvers.scheduling import jobs as scheduling
from resolvers.scheduling.jobs import care_for_newcomers, send_stale_alerts
from tests.factories import Persona, gid, join, make_comment, make_community, make_member, make_post
from tests.realtime.test_activity_subscription import subscribed
from tests.recognition.test_badge_awarded import (  # noqa: F401
    NO_NOTIFICATION,
    NOTIFICATIONS,
    next_of,
)

WAIT_SECONDS = 60
TODAY = start_of_day(datetime.now(UTC))


async def notified(persona: Persona, kind: str) -> int:
    return await Notification.filter(member_id=persona.member.id, kind=kind).count()


async def created_days_ago(community: Community, days: int) -> None:
    await Community.filter(id=community.id).update(created_at=TODAY - timedelta(days=days))


async def test_managers_are_alerted_once_when_nothing_was_published_by_the_hour(
    monkeypatch, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    monkeypatch.setattr(scheduling, "_alerted_day", "")
    # given: a community from last week, nothing published today; another with a post today
    await created_days_ago(public_community, 7)
    lively = await posts_today_community(owner_alice)
    hour = settings.STALE_ALERT_HOUR
    # when / then: nothing before the hour, one alert to the owner after it, and only one
    assert await send_stale_alerts(TODAY + timedelta(hours=hour - 1)) == 0
    assert await send_stale_alerts(TODAY + timedelta(hours=hour, minutes=1)) == 1
    monkeypatch.setattr(scheduling, "_alerted_day", "")  # as another process would
    assert await send_stale_alerts(TODAY + timedelta(hours=hour + 3)) == 0
    alerts = await Notification.filter(kind="COMMUNITY_STALE").values_list("member_id", "community_id")
    assert alerts == [(owner_alice.member.id, public_community.id)]
    assert lively.id != public_community.id
    # the next day is another day
    assert await send_stale_alerts(TODAY + timedelta(days=1, hours=hour)) == 2


async def posts_today_community(owner: Persona) -> Community:
    community = await make_community(owner)
    await created_days_ago(community, 7)
    post = await make_post(owner, community)
    await Post.filter(id=post.id).update(published_at=TODAY)
    return community


async def test_a_newcomers_first_post_without_reply_goes_to_welcomers_and_moderators(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: carol holds the welcomer badge, bob is a plain member; dave and erin are new
    carol, dave, erin = [await make_member(name) for name in ("carol", "dave", "erin")]
    for persona in (carol, dave, erin):
        await join(persona, public_community)
    async with writing() as conn:
        welcomer = next(spec for spec in CATALOGUE if spec.slug == "welcomer")
        badge = await badge_row(conn, public_community.id, welcomer)
        await record_award(conn, badge, member_id=carol.member.id, community_id=public_community.id)
    # dave asks and nobody answers; erin asks and bob answers; erin's answered question was her first
    question = await make_post(dave, public_community, "How do I start?", kind=PostKind.QUESTION)
    answered = await make_post(erin, public_community, "Where is the FAQ?", kind=PostKind.QUESTION)
    await make_comment(member_bob, answered, "Here")
    published = (await Post.get(id=question.id)).published_at
    # when: 3 hours later nothing yet (the wait is 4 hours), at 5 hours the carers are told, once
    assert await care_for_newcomers(published + timedelta(hours=3)) == 0
    assert await care_for_newcomers(published + timedelta(hours=5)) == 1
    assert await care_for_newcomers(published + timedelta(hours=6)) == 0
    # then
    told = await Notification.filter(kind="NEWCOMER_UNANSWERED").values_list("member_id", "subject_id")
    assert sorted(told) == sorted([(owner_alice.member.id, question.id), (carol.member.id, question.id)])
    assert await notified(member_bob, "NEWCOMER_UNANSWERED") == 0


async def test_two_scheduler_processes_publish_alert_and_care_once(
    database: str, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: three scheduled posts of bob (a member for months) due, a quiet day, a newcomer's unanswered first post
    # (today as the test runs, not as the module was read: a run that crosses midnight publishes "tomorrow")
    today = start_of_day(datetime.now(UTC))
    await Membership.filter(member_id=member_bob.member.id).update(joined_at=today - timedelta(days=90))
    for title in ("One", "Two", "Three"):
        at = datetime.now(UTC) + timedelta(hours=1)
        await posts.do_create_post(member_bob.ctx, posts.NewPost(public_community.slug, title, "Soon", publish_at=at))
    dave = await make_member("dave")
    await join(dave, public_community)
    first_post = await make_post(dave, public_community, "Hello, anyone?")
    now = today + timedelta(days=1, hours=settings.STALE_ALERT_HOUR + 1)  # tomorrow afternoon
    await Post.filter(id=first_post.id).update(published_at=now - timedelta(hours=20))
    # when: two processes run every job at the same moment
    ticks = [await start_tick(database, now) for _ in range(2)]
    for tick in ticks:
        tick.stdin.write(b"go\n")
        await tick.stdin.drain()
    outputs = await asyncio.wait_for(asyncio.gather(*(tick.communicate() for tick in ticks)), WAIT_SECONDS)
    # then: both ran to the end, and every effect happened once
    for tick, (out, err) in zip(ticks, outputs, strict=True):
        assert tick.returncode == 0 and out.decode().split() == ["done"], err.decode()[-2000:]
    titles = await Activity.filter(community_id=public_community.id, verb="POSTED").values_list("payload", flat=True)
    assert sorted(p["title"] for p in titles if p["title"] in {"One", "Two", "Three"}) == ["One", "Three", "Two"]
    assert await PointsEntry.filter(member_id=member_bob.member.id, reason="POST_PUBLISHED").count() == 3
    assert await notified(owner_alice, "COMMUNITY_STALE") == 1
    cared = await Notification.filter(kind="NEWCOMER_UNANSWERED").values_list("member_id", "subject_id")
    assert cared == [(owner_alice.member.id, first_post.id)]


async def start_tick(database: str, now: datetime) -> asyncio.subprocess.Process:
    tick = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.scheduling.scheduler_tick",
        database,
        now.isoformat(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=settings.ROOT,
        env={**os.environ, "REDIS_URL": ""},
    )
    ready = await asyncio.wait_for(tick.stdout.readline(), WAIT_SECONDS)
    assert ready == b"ready\n", (await tick.stderr.read()).decode()[-2000:]
    return tick


async def test_carers_get_the_newcomer_care_notification_live(
    server_sharing_redis, owner_alice: Persona, public_community: Community
):
    # given: alice (the owner, a moderator) follows her notifications; dave's first post waits for a reply
    dave = await make_member("dave")
    await join(dave, public_community)
    question = await make_post(dave, public_community, "Anyone using Cercle with Django?", kind=PostKind.QUESTION)
    published = (await Post.get(id=question.id)).published_at
    async with subscribed(server_sharing_redis, owner_alice) as session:
        request = GraphQLRequest(NOTIFICATIONS, variable_values=NO_NOTIFICATION)
        async with aclosing(session.subscribe(request)) as notes:
            first = asyncio.ensure_future(next_of(notes, "notifications"))
            # when: the scheduler's newcomer care runs five hours later
            assert await care_for_newcomers(published + timedelta(hours=5)) == 1
            # then
            notified = await first
    assert notified == {
        "kind": "NEWCOMER_UNANSWERED",
        "summary": "dave is new here and waiting for a reply: “Anyone using Cercle with Django?”",
        "subjectId": gid(question),
    }
