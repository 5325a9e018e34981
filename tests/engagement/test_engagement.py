"""community.engagement and engagementPulse: every figure against a small community computed by hand.

The data set is written straight into the tables at chosen times, so each
figure can be counted by hand (the counts are in the comments). The report is
read "as of" NOW, Wednesday 2026-03-11 12:00 UTC:

    DAY   since 2026-03-11 00:00      WEEK  since 2026-03-05 00:00 (7 days)
    MONTH since 2026-02-10 00:00      ALL   since 2026-02-01 00:00 (the day the community began: 39 days)
"""

from __future__ import annotations

import asyncio
import itertools
from contextlib import aclosing
from datetime import UTC, date, datetime, timedelta

import pytest
from gql import GraphQLRequest
from gql.transport.exceptions import TransportQueryError

import settings
from models.activity import Activity, Verb
from models.communities import Community, Membership, MembershipStatus, Role
from models.events import Event, Rsvp, RsvpStatus
from models.points import Kudos
from models.posts import Comment, Post, PostKind, PostStatus, Reaction, ReactionKind, TargetType
from models.recognition import BadgeTier
from realtime import start_realtime
from realtime.broker import InProcessBroker
from resolvers.communities.roles import do_set_role
from resolvers.engagement import pulse as engagement_pulse
from resolvers.engagement.report import DayPoint, Report, engagement_report, health
from resolvers.engagement.rollups import roll_up_engagement
from resolvers.errors import Forbidden
from resolvers.ids import to_global_id
from resolvers.recognition.custom_badges import do_award_badge, do_create_badge
from tests.factories import Persona, count_queries, make_community, make_member, make_post
from tests.fixtures.server import Server, execute, start_server, stop_server
from tests.realtime.test_activity_subscription import WAIT_SECONDS, subscribed
from tests.realtime.test_activity_subscription import post as post_through
from tests.recognition.test_badge_awarded import next_of

NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
REPORT_STATEMENTS = 6  # the community, people, content, the rolled-up days, questions, events
PERIODS = ("DAY", "WEEK", "MONTH", "ALL")


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class Town:
    """The hand-made community: its members by name, and helpers that write rows at given times."""

    def __init__(self, community: Community, people: dict[str, Persona]) -> None:
        self.community, self.people = community, people
        self.seq = itertools.count(1)

    def id(self, name: str) -> int:
        return self.people[name].member.id

    async def did(self, name: str, verb: Verb, moment: datetime) -> None:
        await Activity.create(
            community_id=self.community.id, seq=next(self.seq), actor_id=self.id(name), verb=verb, created_at=moment
        )

    async def post(self, name: str, kind: PostKind, moment: datetime | None, **fields: object) -> Post:
        """A post, and its POSTED activity when published (an introduction comes with WELCOMED instead)."""
        if moment is not None and kind != PostKind.INTRODUCTION:
            await self.did(name, Verb.POSTED, moment)
        return await Post.create(
            community_id=self.community.id,
            author_id=self.id(name),
            kind=kind,
            title=f"{kind.value.title()} by {name}",
            body="text",
            body_html="<p>text</p>",
            created_at=moment or NOW,
            published_at=moment,
            **fields,
        )

    async def comment(self, name: str, post: Post, moment: datetime, deleted: bool = False) -> Comment:
        await self.did(name, Verb.COMMENTED, moment)
        return await Comment.create(
            post_id=post.id,
            author_id=self.id(name),
            body="answer",
            body_html="<p>answer</p>",
            created_at=moment,
            deleted_at=moment + timedelta(minutes=1) if deleted else None,
        )

    async def react(self, name: str, target: Post | Comment, moment: datetime) -> None:
        kind = TargetType.POST if isinstance(target, Post) else TargetType.COMMENT
        await Reaction.create(
            member_id=self.id(name), target_type=kind, target_id=target.id, kind=ReactionKind.LIKE, created_at=moment
        )
        await self.did(name, Verb.REACTED, moment)

    async def kudos(self, giver: str, receiver: str, moment: datetime) -> None:
        await Kudos.create(
            community_id=self.community.id,
            giver_id=self.id(giver),
            receiver_id=self.id(receiver),
            message="thanks",
            created_at=moment,
        )
        await self.did(giver, Verb.KUDOS, moment)

    async def event(self, starts_at: datetime, answers: dict[str, str]) -> None:
        """answers: name -> GOING, GOING+IN (checked in), GOING+WAIT (waitlisted), MAYBE or DECLINED."""
        event = await Event.create(
            community_id=self.community.id,
            title="Meetup",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            created_by_id=self.id("alice"),
        )
        for name, answer in answers.items():
            status, _, extra = answer.partition("+")
            await Rsvp.create(
                event_id=event.id,
                member_id=self.id(name),
                status=RsvpStatus(status),
                waitlisted_at=starts_at - timedelta(days=1) if extra == "WAIT" else None,
                checked_in_at=starts_at + timedelta(minutes=5) if extra == "IN" else None,
            )


@pytest.fixture
async def town() -> Town:
    people = {name: await make_member(name) for name in ("alice", "bob", "carol", "dave", "erin", "gina", "frank")}
    community = await Community.create(
        slug="town", name="Town", created_by_id=people["alice"].member.id, created_at=at(2, 1, 9)
    )
    town = Town(community, people)
    joined = {
        "alice": at(2, 1, 9),
        "bob": at(2, 1, 11),
        "gina": at(2, 1, 12),
        "carol": at(3, 6, 9),
        "dave": at(3, 9, 10),
        "erin": at(3, 11, 8),
    }
    for name, moment in joined.items():
        role = Role.OWNER if name == "alice" else Role.MEMBER
        await Membership.create(member_id=town.id(name), community_id=community.id, role=role, joined_at=moment)
        await town.did(name, Verb.JOINED, moment)
    # frank asked to join yesterday and is still PENDING: neither a member nor a newcomer
    await Membership.create(
        member_id=town.id("frank"), community_id=community.id, status=MembershipStatus.PENDING, joined_at=at(3, 10, 10)
    )
    await town.did("dave", Verb.WELCOMED, at(3, 9, 10))  # written by Cercle: not dave doing something
    await town.did("gina", Verb.LEVEL_UP, at(3, 8, 10))  # idem
    await town.did("gina", Verb.BADGE_AWARDED, at(3, 8, 10))

    p1 = await town.post("alice", PostKind.DISCUSSION, at(3, 5, 10))
    p2 = await town.post("bob", PostKind.QUESTION, at(3, 6, 10))
    p3 = await town.post("alice", PostKind.QUESTION, at(3, 8, 12))
    p4 = await town.post("carol", PostKind.QUESTION, at(3, 10, 9))
    p5 = await town.post("bob", PostKind.DISCUSSION, at(3, 11, 9))
    await town.post("erin", PostKind.QUESTION, at(3, 11, 11))  # p11: today, unanswered
    p6 = await town.post("alice", PostKind.DISCUSSION, at(3, 7, 10), deleted_at=at(3, 7, 13))
    p7 = await town.post("dave", PostKind.INTRODUCTION, at(3, 9, 10))  # Cercle's welcome: not counted
    p8 = await town.post("bob", PostKind.DISCUSSION, at(2, 20, 10))
    await town.post("alice", PostKind.ANNOUNCEMENT, at(2, 2, 10))  # p9
    # p10: scheduled, so not counted (for a date no server's scheduler reaches during the tests)
    await town.post(
        "bob", PostKind.QUESTION, None, status=PostStatus.SCHEDULED, publish_at=datetime(2100, 1, 1, tzinfo=UTC)
    )

    c1 = await town.comment("carol", p2, at(3, 6, 10, 30))  # the first answer by someone else: 30 minutes
    await town.comment("bob", p2, at(3, 6, 10, 10))  # the asker's own reply: not an answer
    await town.comment("bob", p3, at(3, 9, 0))  # 12 hours after p3: 720 minutes
    await town.comment("alice", p4, at(3, 10, 9, 5), deleted=True)  # deleted: p4 stays unanswered
    await town.comment("alice", p7, at(3, 9, 11))  # welcoming dave counts as a comment
    await town.comment("bob", p6, at(3, 7, 11))  # on a deleted post: not counted
    await town.comment("alice", p8, at(2, 21, 10))

    await town.react("erin", p5, at(3, 11, 9, 30))
    await town.react("alice", c1, at(3, 6, 11))
    await town.react("bob", p6, at(3, 7, 10, 30))  # on a deleted post: not counted (bob was active, though)
    await town.react("carol", p1, at(3, 7, 12))
    await town.react("alice", p5, at(3, 11, 10))

    await town.kudos("alice", "carol", at(3, 10, 15))
    await town.kudos("bob", "alice", at(2, 15, 10))

    await town.event(
        at(3, 7, 18),
        # gina said MAYBE and came: her check-in took a seat, as checkIn does
        {"alice": "GOING+IN", "bob": "GOING+IN", "carol": "GOING", "dave": "GOING+WAIT", "gina": "GOING+IN"},
    )
    await town.event(at(3, 20, 18), {"alice": "GOING"})  # not started yet
    await town.event(at(2, 20, 18), {"bob": "GOING", "gina": "DECLINED"})
    await Community.filter(id=community.id).update(activity_seq=next(town.seq) - 1)  # as the writers keep it
    return town


def series(report) -> list[tuple]:  # noqa: ANN001
    return [(p.day, p.active_members, p.new_members, p.posts, p.comments, p.reactions, p.kudos) for p in report.series]


def components(report) -> dict[str, tuple[float, float, float]]:  # noqa: ANN001
    return {c.key: (round(c.value, 6), round(c.score, 6), round(c.weight, 6)) for c in report.components}


async def test_the_week_counted_by_hand(town: Town):
    report = await engagement_report(town.community.id, "WEEK", now=NOW)
    assert report.since == at(3, 5)
    # active: carol, dave, erin (joined), alice, bob (posts, comments, reactions); not gina (her level and badge
    # are Cercle's doing). Contributors: alice, bob, carol, erin (posts and comments; dave's introduction is not)
    assert (report.active_members, report.contributors, report.participation_rate) == (5, 4, 0.8)
    # newcomers: carol, dave, erin (frank is pending); carol commented and erin reacted within 7 days, dave did not
    assert (report.new_members, report.newcomer_activation_rate) == (3, pytest.approx(2 / 3))
    # posts p1-p5 and p11 (p6 deleted, p7 an introduction); comments: carol's and bob's on p2, bob's on p3,
    # alice's on p7 (not the deleted one, not the one on the deleted p6); reactions but bob's on p6; alice's kudos
    assert (report.posts, report.comments, report.reactions, report.kudos) == (6, 4, 4, 1)
    # questions p2 (30 min), p3 (720 min), p4 (only a deleted comment), p11 (none): 2 of 4, median (30+720)/2
    assert (report.response_rate, report.median_first_response_minutes) == (0.5, 375.0)
    # the meetup of March 7: alice, bob, carol and gina held seats (dave waited): all but carol came
    assert report.event_attendance_rate == 0.75
    # health: every component has a figure, weights as defined
    #   activity        5/6 active vs 30%      -> 1              x 0.20
    #   participation   0.8 vs 50%             -> 1              x 0.20
    #   responsiveness  0.5 vs 90%             -> 0.555556       x 0.15
    #   response time   375 min                -> (1440-375)/1380 = 0.771739 x 0.10
    #   activation      2/3 vs 50%             -> 1              x 0.15
    #   freshness       5 of 7 days with a post (none on the 7th and 9th) -> 0.714286 x 0.10
    #   attendance      3/4 vs 70%             -> 1              x 0.10
    #   sum = 0.2 + 0.2 + 0.083333 + 0.077174 + 0.15 + 0.071429 + 0.1 = 0.881936 -> 88
    assert components(report) == {
        "activity": (0.833333, 1.0, 0.2),
        "participation": (0.8, 1.0, 0.2),
        "responsiveness": (0.5, 0.555556, 0.15),
        "response_time": (375.0, 0.771739, 0.1),
        "newcomer_activation": (0.666667, 1.0, 0.15),
        "freshness": (0.714286, 0.714286, 0.1),
        "event_attendance": (0.75, 1.0, 0.1),
    }
    assert report.health_score == 88
    # (day, active, new, posts, comments, reactions, kudos)
    assert series(report) == [
        (date(2026, 3, 5), 1, 0, 1, 0, 0, 0),  # alice posts
        (date(2026, 3, 6), 3, 1, 1, 2, 1, 0),  # carol joins and answers, bob asks, alice reacts
        (date(2026, 3, 7), 3, 0, 0, 0, 1, 0),  # alice posts (deleted since), bob comments and reacts on it
        (date(2026, 3, 8), 1, 0, 1, 0, 0, 0),  # alice asks; gina's level-up is not hers to count
        (date(2026, 3, 9), 3, 1, 0, 2, 0, 0),  # dave joins, bob answers, alice welcomes dave
        (date(2026, 3, 10), 2, 0, 1, 0, 0, 1),  # carol asks, alice thanks her
        (date(2026, 3, 11), 3, 1, 2, 0, 2, 0),  # erin joins and reacts, alice reacts, bob posts, erin asks
    ]


async def test_today_leaves_out_what_has_no_figure(town: Town):
    report = await engagement_report(town.community.id, "DAY", now=NOW)
    # erin (joined, reacted, asked), alice (reacted), bob (posted); contributors bob and erin
    assert (report.active_members, report.contributors, report.new_members) == (3, 2, 1)
    assert (report.posts, report.comments, report.reactions, report.kudos) == (2, 0, 2, 0)
    # erin's question is unanswered: 0 of 1, no median; no event today
    assert (report.response_rate, report.median_first_response_minutes, report.event_attendance_rate) == (
        0.0,
        None,
        None,
    )
    assert report.newcomer_activation_rate == 1.0
    # response time and event attendance are left out; the others are reweighted over 0.8:
    #   activity 3/6 -> 1 (0.25), participation 2/3 -> 1 (0.25), responsiveness 0 -> 0 (0.1875),
    #   activation 1 -> 1 (0.1875), freshness 1 of 1 day -> 1 (0.125): 0.8125 -> 81
    assert components(report) == {
        "activity": (0.5, 1.0, 0.25),
        "participation": (0.666667, 1.0, 0.25),
        "responsiveness": (0.0, 0.0, 0.1875),
        "newcomer_activation": (1.0, 1.0, 0.1875),
        "freshness": (1.0, 1.0, 0.125),
    }
    assert report.health_score == 81
    assert series(report) == [(date(2026, 3, 11), 3, 1, 2, 0, 2, 0)]


async def test_the_month_and_all_time(town: Town):
    month = await engagement_report(town.community.id, "MONTH", now=NOW)
    # the week, plus bob's post of February 20, alice's comment on it and bob's kudos of February 15
    assert (month.posts, month.comments, month.reactions, month.kudos) == (7, 5, 4, 2)
    assert (month.active_members, month.contributors, month.new_members) == (5, 4, 3)
    # bob held a seat at the February 20 meetup and did not come: 3 of 5
    assert month.event_attendance_rate == 0.6
    assert components(month)["freshness"] == (0.2, 0.2, 0.1)  # 6 of 30 days with a post
    assert (len(month.series), month.series[0].day, month.series[-1].day) == (30, date(2026, 2, 10), NOW.date())
    assert month.series[10] == DayPoint(date(2026, 2, 20), active_members=1, posts=1)  # bob's post

    ever = await engagement_report(town.community.id, "ALL", now=NOW)
    assert ever.since == at(2, 1)
    assert (ever.posts, ever.comments, ever.reactions, ever.kudos) == (8, 5, 4, 2)  # + alice's announcement
    # everyone is new since the start; activated within 7 days: alice (her announcement on the 2nd), carol, erin;
    # not bob (his first contribution came 14 days later), gina, dave
    assert (ever.new_members, ever.newcomer_activation_rate, ever.active_members) == (6, 0.5, 6)
    assert (len(ever.series), ever.series[0].day) == (39, date(2026, 2, 1))
    assert sum(point.new_members for point in ever.series) == 6


async def test_the_rolled_up_days_give_the_same_report_in_the_same_statements(town: Town):
    counted = {period: await engagement_report(town.community.id, period, now=NOW) for period in PERIODS}
    # when: the scheduler has rolled up every day before today, February 1 to March 10 (a month a run)
    assert [await roll_up_engagement(now=NOW) for _ in range(3)] == [31, 7, 0]
    # then: the same figures, from the same number of statements
    for period in PERIODS:
        with count_queries() as statements:
            assert await engagement_report(town.community.id, period, now=NOW) == counted[period]
        assert len(statements) == REPORT_STATEMENTS


async def test_posts_and_comments_stand_in_for_the_activity_pruned(town: Town, monkeypatch: pytest.MonkeyPatch):
    # given: a log kept 10 days, pruned as the scheduler would (everything before March 1 is gone)
    monkeypatch.setattr(settings, "ACTIVITY_RETENTION_DAYS", 10)
    await Activity.filter(community_id=town.community.id, created_at__lt=at(3, 1, 12)).delete()
    ever = await engagement_report(town.community.id, "ALL", now=NOW)
    # then: alice and bob still count for February through their posts and comments; gina's join is gone
    assert ever.active_members == 5
    assert ever.series[1] == DayPoint(date(2026, 2, 2), active_members=1, posts=1)  # alice's announcement
    # alice's announcement still activates her; bob's first contribution left is his post of February 20
    assert ever.newcomer_activation_rate == 0.5


def test_the_health_score_reweights_what_is_left():
    # only activity (0.2) and freshness (0.1): 2/3 x 0.5 + 1/3 x 1 -> 67
    score, parts = health({"activity": 0.15, "freshness": 1.0, "event_attendance": None})
    assert (score, [(p.key, round(p.weight, 6), p.score) for p in parts]) == (
        67,
        [("activity", 0.666667, 0.5), ("freshness", 0.333333, 1.0)],
    )
    assert health({"response_time": 30.0})[0] == 100 and health({"response_time": 2000.0})[0] == 0


ENGAGEMENT = """
query E($slug: String!, $period: Period!) {
  community(slug: $slug) {
    engagement(period: $period) {
      period since until activeMembers newMembers contributors participationRate posts comments reactions kudos
      responseRate medianFirstResponseMinutes newcomerActivationRate eventAttendanceRate healthScore
      components { key label value target score weight explanation }
      series { date activeMembers newMembers posts comments reactions kudos }
    }
  }
}
"""


async def test_managers_read_it_and_members_may_not(gql, town: Town):
    # a plain member and an outsider: FORBIDDEN; nobody: UNAUTHENTICATED
    variables = {"slug": "town", "period": "WEEK"}
    for name in ("bob", "frank"):
        error = await gql.error(ENGAGEMENT, variables, token=town.people[name].token)
        assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(ENGAGEMENT, variables))["extensions"]["code"] == "UNAUTHENTICATED"
    # the owner (and managers): the report of the 7 days up to now
    report = (await gql.data(ENGAGEMENT, variables, token=town.people["alice"].token))["community"]["engagement"]
    assert report["period"] == "WEEK" and len(report["series"]) == 7
    assert report["series"][-1]["date"] == datetime.now(UTC).date().isoformat()
    assert {c["key"] for c in report["components"]} <= {
        "activity",
        "participation",
        "responsiveness",
        "response_time",
        "newcomer_activation",
        "freshness",
        "event_attendance",
    }
    assert 0 <= report["healthScore"] <= 100


async def test_the_report_is_a_fixed_number_of_statements(gql, town: Town):
    with count_queries() as statements:
        await engagement_report(town.community.id, "MONTH", now=NOW)
    assert len(statements) == REPORT_STATEMENTS
    with count_queries() as through_graphql:
        await gql.data(ENGAGEMENT, {"slug": "town", "period": "MONTH"}, token=town.people["alice"].token)
    # when: ten times the members and content
    for n in range(60):
        name = f"extra{n}"
        town.people[name] = await make_member(name)
        await Membership.create(member_id=town.id(name), community_id=town.community.id, joined_at=at(3, 1 + n % 10))
        question = await town.post(name, PostKind.QUESTION, at(3, 1 + n % 10, 12))
        answer = await town.comment("alice", question, at(3, 1 + n % 10, 13))
        await town.react("bob", answer, at(3, 1 + n % 10, 14))
    # then: the same statements
    with count_queries() as statements:
        bigger = await engagement_report(town.community.id, "MONTH", now=NOW)
    assert bigger.posts == 7 + 60 and len(statements) == REPORT_STATEMENTS
    with count_queries() as again:
        await gql.data(ENGAGEMENT, {"slug": "town", "period": "MONTH"}, token=town.people["alice"].token)
    assert len(again) == len(through_graphql)


# --- the live pulse ----------------------------------------------------------------------------

PULSE = """
subscription P($slug: String!) {
  engagementPulse(communitySlug: $slug) { period posts activeMembers contributors healthScore }
}
"""


@pytest.fixture(scope="module")
async def quick_pulse_server(database):
    """A server whose pulse may push every 0.2 s, so a test sees the next report at once (no scheduler: the
    rollups it would write are the tests' own business)."""
    server = await start_server(database, ENGAGEMENT_PULSE_SECONDS="0.2", SCHEDULER_IN_WEB="false")
    yield server
    stop_server(server)


async def test_a_manager_follows_today_live(quick_pulse_server: Server, owner_alice: Persona, member_bob: Persona):
    community = await make_community(owner_alice, "Pulse", slug="pulse")
    await post_through(quick_pulse_server, owner_alice, community.slug, "Before")
    async with subscribed(quick_pulse_server, owner_alice) as session:
        request = GraphQLRequest(PULSE, variable_values={"slug": community.slug})
        async with aclosing(session.subscribe(request)) as pulse:
            # the report as it stands, at once
            now = await next_of(pulse, "engagementPulse")
            assert (now["period"], now["posts"], now["activeMembers"]) == ("DAY", 1, 1)
            # when: bob joins and posts (through the server, which publishes the activity)
            await join_through(quick_pulse_server, member_bob, community.slug)
            await post_through(quick_pulse_server, member_bob, community.slug, "After")
            # then: a report with his post arrives (one may come first for his join alone)
            latest = await next_of(pulse, "engagementPulse")
            while latest["posts"] < 2:
                latest = await next_of(pulse, "engagementPulse")
            assert (latest["posts"], latest["activeMembers"], latest["contributors"]) == (2, 2, 2)


async def test_only_managers_may_follow_the_pulse(
    quick_pulse_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    async with subscribed(quick_pulse_server, member_bob) as session:
        with pytest.raises(TransportQueryError) as refused:
            request = GraphQLRequest(PULSE, variable_values={"slug": public_community.slug})
            async with aclosing(session.subscribe(request)) as pulse:
                await next_of(pulse, "engagementPulse")
    assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.fixture
async def live_here(monkeypatch: pytest.MonkeyPatch):
    """Live events inside this test process, and a pulse that gathers a second of events into one report."""
    monkeypatch.setattr(settings, "ENGAGEMENT_PULSE_SECONDS", 1.0)
    await start_realtime(InProcessBroker())


async def next_report(stream) -> Report:  # noqa: ANN001
    return await asyncio.wait_for(anext(stream), WAIT_SECONDS)


async def test_a_burst_is_one_report_and_unchanged_figures_are_not_pushed(
    live_here, monkeypatch: pytest.MonkeyPatch, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    computed = asyncio.Event()  # set by each computation of the report, so the test waits on it, not on a clock

    async def observed(*args: object) -> Report:
        report = await engagement_report(*args)
        computed.set()
        return report

    monkeypatch.setattr(engagement_pulse, "engagement_report", observed)
    async with aclosing(engagement_pulse.pulse(owner_alice.ctx, public_community)) as stream:
        first = await next_report(stream)
        # when: three posts within the second after the first report
        for n in range(3):
            await make_post(member_bob, public_community, f"Post {n}")
        # then: one report with all three
        assert (await next_report(stream)).posts - first.posts == 3
        # when: a badge (Cercle's doing: no figure moves), and the report that follows it
        following = asyncio.ensure_future(next_report(stream))  # a subscriber always awaits the next message
        computed.clear()
        badge = await do_create_badge(owner_alice.ctx, "python-paris", "Helper", "Helps", BadgeTier.BRONZE)
        await do_award_badge(owner_alice.ctx, to_global_id("Badge", badge.id), "bob", "Thanks")
        await asyncio.wait_for(computed.wait(), WAIT_SECONDS)
        await make_post(owner_alice, public_community, "After the badge")
        # then: the next message is the post's; the badge's report, the same figures, was not pushed
        assert (await following).posts - first.posts == 4


async def test_a_manager_made_a_member_stops_receiving_the_pulse(
    live_here, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    await do_set_role(owner_alice.ctx, "python-paris", "bob", Role.MANAGER)
    async with aclosing(engagement_pulse.pulse(member_bob.ctx, public_community)) as stream:
        await next_report(stream)
        await do_set_role(owner_alice.ctx, "python-paris", "bob", Role.MEMBER)
        await make_post(owner_alice, public_community)
        with pytest.raises(Forbidden):
            await next_report(stream)


JOIN = "mutation J($slug: String!) { joinCommunity(slug: $slug) { status } }"


async def join_through(server: Server, persona: Persona, slug: str) -> None:
    answer = await execute(server, JOIN, {"slug": slug}, persona.token)
    assert "errors" not in answer, answer
