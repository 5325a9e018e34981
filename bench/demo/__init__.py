"""The demo that `python manage.py demo` (and `make run`) loads into an empty database: six weeks of
Demo Commons and the Writers' Room, ending today, whenever it is loaded.

Everything is made through the resolvers, as members would make it, each at its moment (the
clock travels, see timeline.py), so memberships, roles, activity, the points ledger, levels,
badges, streaks and rendered markdown are all real and dated consistently: charts, leaderboards,
freshness and digests look as they would in a living community. The weekly jobs of the scheduler
run on each Monday of the timeline (the top contributor badge, the digest draft that esme edits
and publishes). The caller (manage.py) initialises Tortoise and checks that the database is empty.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from tortoise.expressions import F

from bench.demo.content import (
    CHECK_IN,
    CHECK_IN_REPLIES,
    DEMO_PASSWORD,
    DEMO_SLUG,
    FRIDAY_WINS,
    HACK_DAY,
    KUDOS,
    MEETUP,
    MEMBERS,
    POSTS,
    PRIVATE_SLUG,
    READING_REPLIES,
    TIL_BODY,
    TODAY_I_LEARNED,
    WEEKEND_READING,
    WINS,
    WRITERS,
    DemoComment,
    DemoMember,
    DemoPost,
)
from bench.demo.timeline import Ago, At, Calendar, Step, Timeline
from models.communities import Community, JoinPolicy, Role, Visibility
from models.email import EmailStatus, OutgoingEmail
from models.events import Event, RsvpStatus
from models.members import Member
from models.posts import Comment, Post, PostKind, PostStatus, ReactionKind
from models.recognition import BadgeAward
from resolvers.communities.creation import do_create_community
from resolvers.communities.invitations import do_create_invitation
from resolvers.communities.membership import do_join_community
from resolvers.communities.roles import do_set_role
from resolvers.context import Context
from resolvers.digest.digest import draft_weekly_digests
from resolvers.events import events
from resolvers.ids import to_global_id
from resolvers.members import members
from resolvers.posts import posts
from resolvers.posts.comments import do_accept_answer, do_add_comment
from resolvers.posts.reactions import do_react
from resolvers.recognition import kudos
from resolvers.recognition.weekly_badges import award_weekly_top
from resolvers.tasks import tasks

__all__ = ["DEMO_PASSWORD", "DEMO_SLUG", "PRIVATE_SLUG", "STREAK_DAYS", "load_demo"]

SEED = 6  # the generated replies and reactions are the same on every load
WEEKS = 5  # before the current one
STREAK_DAYS = 14  # the last days that all meet the daily goal, today included
REPLY_LINES = ["Nice one!", "Did not know that, thanks.", "Bookmarked.", "Using this tomorrow."]
MINUTE = timedelta(minutes=1)


def _gid(row: Post | Comment | Event) -> str:
    return to_global_id(type(row).__name__, row.pk)


class _Demo:
    """Plans every step of the demo on a timeline, then plays it."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.timeline = Timeline(calendar)
        self.rng = random.Random(SEED)
        self.member_ids: dict[str, int] = {}
        self.joined = {person.username: person.joins.moment(calendar) for person in MEMBERS}
        self.writers = {username: at.moment(calendar) for username, at in WRITERS.items()}  # the private room's
        self.rows: dict[DemoPost | DemoComment, Post | Comment] = {}
        self.post_days: set[date] = set()  # the days Demo Commons has a post on (introductions aside)
        self.counts: Counter[str] = Counter()
        self.invitation_code = ""

    def acting(self, username: str) -> Context:
        """A fresh context for each step, as each request has one: its loaders cache rows (a role given since)."""
        return Context(viewer_id=self.member_ids[username], ip=f"demo-{username}")

    def at(self, moment: datetime, step: Step) -> None:
        self.timeline.add(moment, step)

    def when(self, username: str, moment: datetime, community: str = DEMO_SLUG) -> datetime:
        """Nobody acts before joining: a reply to an older post comes once its author is here."""
        joined = self.joined if community == DEMO_SLUG else self.writers
        return max(moment, joined[username] + 15 * MINUTE)

    def members_by(self, moment: datetime, *, besides: str) -> list[str]:
        return [name for name, joined in self.joined.items() if joined < moment and name != besides]

    # --- members and communities ---------------------------------------------------------------

    def plan_members(self) -> None:
        for person in MEMBERS:
            self.at(self.joined[person.username], lambda p=person: self.register(p))
            if person.username != "ada":
                self.at(self.joined[person.username] + 5 * MINUTE, lambda p=person: self.join(p.username, DEMO_SLUG))
                self.plan_welcome(person.username)
        founded = self.joined["ada"] + 30 * MINUTE
        self.at(founded, self.found_commons)
        self.at(At(5, 0, 12).moment(self.calendar), lambda: self.set_role("bruno", Role.MANAGER))
        self.at(At(5, 2, 9).moment(self.calendar), lambda: self.set_role("chloe", Role.MODERATOR))
        self.at(self.writers["esme"], self.found_writers_room)
        for username in ("chloe", "gwen"):
            self.at(self.writers[username], lambda u=username: self.join(u, PRIVATE_SLUG, invited=True))

    def plan_welcome(self, newcomer: str) -> None:
        """Comments on the welcome's introduction post: a host within the hour, another later, then the newcomer."""
        joined = self.joined[newcomer]
        hosts = [name for name in ("bruno", "ada", "chloe") if name != newcomer and self.joined[name] < joined]
        for delay, host in zip((55, 170), hosts, strict=False):
            text = f"Welcome, @{newcomer}! Glad to have you here."
            self.at(joined + delay * MINUTE, lambda h=host, t=text: self.comment_introduction(h, newcomer, t))
        if len(hosts) > 1:
            self.at(joined + 300 * MINUTE, lambda: self.comment_introduction(newcomer, newcomer, "Thank you all!"))

    async def register(self, person: DemoMember) -> None:
        # Each demo member registers from its own address: the per-IP login limit stays untouched.
        _, member = await members.do_register(
            Context(viewer_id=None, ip=f"demo-{person.username}"),
            members.Registration(
                username=person.username,
                email=f"{person.username}@demo.cercle.invalid",
                password=DEMO_PASSWORD,
                display_name=person.display_name,
                bio=person.bio,
                skills=person.skills,
                experience=person.experience,
            ),
        )
        self.member_ids[person.username] = member.id
        # Demo members' addresses count as verified, so whoever logs in as one may create communities.
        await Member.filter(id=member.id).update(email_verified_at=member.joined_at)

    async def found_commons(self) -> None:
        await do_create_community(
            self.acting("ada"),
            name="Demo Commons",
            slug=DEMO_SLUG,
            description="A lively demo community: developers, designers and writers helping each other.",
            visibility=Visibility.PUBLIC,
            join_policy=JoinPolicy.OPEN,
        )

    async def found_writers_room(self) -> None:
        private = await do_create_community(
            self.acting("esme"),
            name="Writers' Room",
            slug=PRIVATE_SLUG,
            description="Drafts and honest feedback, for invited writers only.",
            visibility=Visibility.PRIVATE,
            join_policy=JoinPolicy.INVITE,
        )
        invitation = await do_create_invitation(
            self.acting("esme"), private.slug, max_uses=10, expires_in_hours=24 * 60
        )
        self.invitation_code = invitation.code

    async def join(self, username: str, slug: str, *, invited: bool = False) -> None:
        await do_join_community(self.acting(username), slug, self.invitation_code if invited else None)

    async def set_role(self, username: str, role: Role) -> None:
        await do_set_role(self.acting("ada"), DEMO_SLUG, username, role)

    async def comment_introduction(self, author: str, newcomer: str, text: str) -> None:
        commons = await Community.get(slug=DEMO_SLUG)
        introduction = await Post.get(
            community_id=commons.id, author_id=self.member_ids[newcomer], kind=PostKind.INTRODUCTION
        )
        await do_add_comment(self.acting(author), _gid(introduction), text, None)
        self.counts["comments"] += 1

    # --- posts, comments, reactions -------------------------------------------------------------

    def plan_post(self, spec: DemoPost) -> None:
        moment = self.when(spec.author, spec.at.moment(self.calendar), spec.community)
        self.at(moment, lambda: self.publish(spec))
        if spec.community == DEMO_SLUG:
            self.post_days.add(self.calendar.real(moment).date())
        self.plan_reactions(spec, spec, moment)
        for k, comment in enumerate(spec.comments):
            self.plan_comment(spec, comment, moment + (45 + 70 * k) * MINUTE)

    def plan_comment(
        self, post: DemoPost, spec: DemoComment, moment: datetime, parent: DemoComment | None = None
    ) -> None:
        moment = self.when(spec.author, moment, post.community)
        self.at(moment, lambda: self.add_comment(post, spec, parent))
        self.plan_reactions(post, spec, moment)
        if spec.accepted:  # accepted by the question's author
            self.at(moment + 40 * MINUTE, lambda: self.accept(post.author, spec))
        for k, reply in enumerate(spec.replies):
            self.plan_comment(post, reply, moment + (25 + 30 * k) * MINUTE, spec)

    def plan_reactions(self, post: DemoPost, target: DemoPost | DemoComment, after: datetime) -> None:
        for j, (username, kind) in enumerate(target.reactions):
            moment = self.when(username, after + (20 + 50 * j) * MINUTE, post.community)
            self.at(moment, lambda u=username, k=kind: self.react(u, target, k))

    async def publish(self, spec: DemoPost) -> None:
        new = posts.NewPost(
            community_slug=spec.community, title=spec.title, body=spec.body, kind=spec.kind, tags=spec.tags
        )
        self.rows[spec] = await posts.do_create_post(self.acting(spec.author), new)
        self.counts["posts"] += 1

    async def add_comment(self, post: DemoPost, spec: DemoComment, parent: DemoComment | None) -> None:
        parent_id = _gid(self.rows[parent]) if parent else None
        self.rows[spec] = await do_add_comment(self.acting(spec.author), _gid(self.rows[post]), spec.body, parent_id)
        self.counts["comments"] += 1

    async def accept(self, asker: str, answer: DemoComment) -> None:
        await do_accept_answer(self.acting(asker), _gid(self.rows[answer]))
        self.counts["accepted answers"] += 1

    async def react(self, username: str, target: DemoPost | DemoComment, kind: ReactionKind) -> None:
        await do_react(self.acting(username), _gid(self.rows[target]), kind, add=True)
        self.counts["reactions"] += 1

    # --- the community's rhythm ----------------------------------------------------------------

    def plan_recurring(self) -> None:
        """The Monday check-in and Friday wins every week, weekend reading on some Saturdays."""
        threads = [("bruno", At(w, 0, 9, 15), CHECK_IN, CHECK_IN_REPLIES) for w in range(WEEKS, -1, -1)]
        threads += [("ada", At(w, 4, 16), FRIDAY_WINS, WINS) for w in range(WEEKS, -1, -1)]
        threads += [("esme", At(w, 5, 10), WEEKEND_READING, READING_REPLIES) for w in (3, 1, 0)]
        for author, at, (title, body, tags), lines in threads:
            moment = at.moment(self.calendar)
            if moment >= self.calendar.today + timedelta(days=1):
                continue  # later this week
            repliers = self.members_by(moment, besides=author)
            replies = [
                DemoComment(name, self.rng.choice(lines)) for name in self.rng.sample(repliers, min(4, len(repliers)))
            ]
            self.plan_post(
                DemoPost(at, author, PostKind.DISCUSSION, title, body, tags, replies, self.reactions(repliers))
            )

    def plan_daily_goal(self) -> None:
        """A short post on each of the last STREAK_DAYS days that has none: the streak holds up to today."""
        fillers = itertools.cycle(TODAY_I_LEARNED)
        for days_ago in range(STREAK_DAYS - 1, -1, -1):
            at = Ago(days_ago, 12, 30)
            moment = at.moment(self.calendar)
            if self.calendar.real(moment).date() in self.post_days:
                continue
            author, title, tags = next(til for til in fillers if self.joined[til[0]] < moment)
            repliers = self.members_by(moment, besides=author)
            replies = [DemoComment(name, self.rng.choice(REPLY_LINES)) for name in self.rng.sample(repliers, 2)]
            post = DemoPost(at, author, PostKind.DISCUSSION, title, TIL_BODY, tags, replies, self.reactions(repliers))
            self.plan_post(post)

    def reactions(self, members: list[str]) -> list[tuple[str, ReactionKind]]:
        chosen = self.rng.sample(members, min(len(members), self.rng.randint(1, 3)))
        return [(name, self.rng.choice(list(ReactionKind))) for name in chosen]

    def plan_kudos(self) -> None:
        for giver, receiver, message, at in KUDOS:
            self.at(at.moment(self.calendar), lambda g=giver, r=receiver, m=message: self.thank(g, r, m))

    async def thank(self, giver: str, receiver: str, message: str) -> None:
        await kudos.do_give_kudos(self.acting(giver), DEMO_SLUG, receiver, message)
        self.counts["kudos"] += 1

    # --- events, tasks and the weekly jobs ---------------------------------------------------------

    def plan_events(self) -> None:
        meetup_starts = MEETUP["starts"].moment(self.calendar)
        self.plan_event(MEETUP, MEETUP["announced"].moment(self.calendar), meetup_starts)
        for n, username in enumerate(MEETUP["checked_in"]):
            self.at(meetup_starts + (5 + 3 * n) * MINUTE, lambda u=username: self.check_in(MEETUP, u))
        # The hack day is on the first Saturday at least three days ahead: always still to come.
        ahead = (5 - self.calendar.today.weekday()) % 7
        hack_day = self.calendar.today + timedelta(days=ahead if ahead >= 3 else ahead + 7, hours=13)
        self.plan_event(HACK_DAY, HACK_DAY["announced"].moment(self.calendar), hack_day)

    def plan_event(self, spec: dict, announced: datetime, starts: datetime) -> None:
        self.at(announced + 5 * MINUTE, lambda: self.create_event(spec, starts))
        answers = [(name, RsvpStatus.GOING) for name in spec["going"]] + [(n, RsvpStatus.MAYBE) for n in spec["maybe"]]
        for n, (username, status) in enumerate(answers):
            moment = self.when(username, announced + (2 + 7 * n) * 60 * MINUTE)
            self.at(min(moment, starts - 60 * MINUTE), lambda u=username, s=status: self.rsvp(spec, u, s))

    async def create_event(self, spec: dict, starts: datetime) -> None:
        new = events.NewEvent(
            DEMO_SLUG, spec["title"], starts, starts + timedelta(hours=3), spec["description"], spec["place"]
        )
        spec["row"] = await events.do_create_event(self.acting("bruno"), new)
        self.counts["events"] += 1

    async def rsvp(self, spec: dict, username: str, status: RsvpStatus) -> None:
        await events.do_rsvp(self.acting(username), _gid(spec["row"]), status)

    async def check_in(self, spec: dict, username: str) -> None:
        await events.do_check_in(self.acting("bruno"), _gid(spec["row"]), username)
        self.counts["check-ins"] += 1

    def plan_weekly_jobs(self) -> None:
        """Each Monday: last week's top contributor is crowned and its digest drafted; ada publishes
        the first ones, then gives them to esme, the co-editor she asked for, as a task."""
        for week in range(WEEKS - 1, -1, -1):
            self.at(At(week, 0, 0, 10).moment(self.calendar), award_weekly_top)
            self.at(At(week, 0, 7).moment(self.calendar), draft_weekly_digests)
            if week > 2:
                self.at(At(week, 0, 9).moment(self.calendar), lambda: self.publish_digest("ada"))
                continue
            self.at(At(week, 0, 8).moment(self.calendar), self.give_digest_to_esme)
            self.at(At(week, 0, 11).moment(self.calendar), lambda: self.publish_digest("esme"))
            self.at(At(week, 0, 12).moment(self.calendar), self.confirm_digest_task)
        open_task = tasks.NewTask(
            DEMO_SLUG, "Host the hack day's welcome table", "Greet people and form teams.", ["events"], points=15
        )
        self.at(HACK_DAY["announced"].moment(self.calendar) + 30 * MINUTE, lambda: self.create_task(open_task))
        self.at(HACK_DAY["announced"].moment(self.calendar) + 20 * 60 * MINUTE, self.volunteer)

    async def latest_digest(self) -> Post:
        return await Post.filter(community__slug=DEMO_SLUG, kind=PostKind.DIGEST).order_by("-id").first()

    async def give_digest_to_esme(self) -> None:
        digest = await self.latest_digest()
        task = tasks.NewTask(DEMO_SLUG, "Edit this week's digest", "Check the links, add a highlight.", ["writing"])
        task.post_id, task.points = _gid(digest), 20
        self.digest_task = await tasks.do_create_task(self.acting("ada"), task)
        await tasks.do_assign(self.acting("ada"), to_global_id("Task", self.digest_task.pk), "esme")

    async def publish_digest(self, editor: str) -> None:
        digest = await self.latest_digest()
        if digest.status != PostStatus.PUBLISHED:
            await posts.do_publish_post(self.acting(editor), _gid(digest))
            self.counts["digests"] += 1

    async def confirm_digest_task(self) -> None:
        await tasks.do_complete(self.acting("ada"), to_global_id("Task", self.digest_task.pk))

    async def create_task(self, task: tasks.NewTask) -> None:
        self.open_task = await tasks.do_create_task(self.acting("bruno"), task)

    async def volunteer(self) -> None:
        await tasks.do_volunteer(self.acting("esme"), to_global_id("Task", self.open_task.pk))

    # --- everything ------------------------------------------------------------------------------

    async def run(self) -> str:
        self.plan_members()
        for spec in POSTS:
            self.plan_post(spec)
        self.plan_recurring()
        self.plan_daily_goal()  # last: it fills the days the others left empty
        self.plan_kudos()
        self.plan_events()
        self.plan_weekly_jobs()
        await self.timeline.play()
        await self.settle_mail()
        return await self.summary()

    async def settle_mail(self) -> None:
        """Each published digest queued its emails to the members who were away (all of them: the demo's
        members make no requests). The earlier weeks' went out at the time: mark them sent, so only the
        latest digest's wait for the sender, as after a real publication (`make run` writes them to ./data/mail/)."""
        latest = _gid(await self.latest_digest())
        rows = await OutgoingEmail.filter(template="digest").values_list("id", "params")
        earlier = [row_id for row_id, params in rows if params.get("post_id") != latest]
        await OutgoingEmail.filter(id__in=earlier).update(status=EmailStatus.SENT, sent_at=F("created_at"))
        self.counts["digest emails queued"] = len(rows) - len(earlier)

    async def summary(self) -> str:
        badges = await BadgeAward.filter(community__slug=DEMO_SLUG).count()
        others = ", ".join(person.username for person in MEMBERS[1:])
        figures = ", ".join(f"{n} {what}" for what, n in self.counts.items())
        return (
            f"Demo Commons ({DEMO_SLUG}, public, open) and Writers' Room ({PRIVATE_SLUG}, private, invitation "
            f"code {self.invitation_code}): {len(MEMBERS)} members over six weeks to today, {figures}, "
            f"{badges} badges earned. Log in as ada / {DEMO_PASSWORD} (same password for {others})."
        )


async def load_demo(now: datetime | None = None) -> str:
    """Create the demo members and communities, ending at `now`; a one-line summary for the console."""
    return await _Demo(Calendar(now or datetime.now(UTC))).run()
