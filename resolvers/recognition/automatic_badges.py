"""Automatic badges: each a count over the ledger or the content, a target, and a tier.

Checked inside the writing transaction of the contribution that may earn them
(the community row is locked by then, so checks in one community run one at a
time); the unique key on awards is the guarantee that none is awarded twice.
Every community gets its own row for each automatic badge, made on first use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from models.activity import Activity, Verb
from models.events import Rsvp
from models.points import Kudos, PointsEntry
from models.posts import Comment, Post, PostKind, PostStatus, Reaction, TargetType
from models.recognition import Badge, BadgeAward, BadgeTier
from models.tasks import Task, TaskStatus
from resolvers.outbox import Transaction
from resolvers.recognition.badges import record_award
from resolvers.recognition.facts import Facts, read_facts
from resolvers.recognition.levels import Day

# (conn, member_id, community_id); no connection: the default one, outside a transaction
Counter = Callable[[BaseDBAsyncClient | None, int, int], Awaitable[int]]


async def _posts(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    return (
        await Post.filter(
            author_id=member_id, community_id=community_id, status=PostStatus.PUBLISHED, deleted_at__isnull=True
        )
        .exclude(kind__in=[PostKind.INTRODUCTION, PostKind.DIGEST])
        .using_db(conn)
        .count()
    )


async def _introductions(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    """Replies of the newcomer on their own introduction: Cercle writes the post, the member takes it up."""
    return (
        await Comment.filter(
            author_id=member_id,
            post__author_id=member_id,
            post__kind=PostKind.INTRODUCTION,
            post__community_id=community_id,
            deleted_at__isnull=True,
        )
        .using_db(conn)
        .count()
    )


async def _accepted_answers(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    return (
        await Comment.filter(
            author_id=member_id, accepted=True, deleted_at__isnull=True, post__community_id=community_id
        )
        .exclude(post__author_id=member_id)
        .using_db(conn)
        .count()
    )


async def _newcomers_welcomed(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    return (
        await PointsEntry.filter(
            member_id=member_id, community_id=community_id, reason="NEWCOMER_WELCOMED", reversed_by__id__isnull=True
        )
        .using_db(conn)
        .count()
    )


async def _reactions_received(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    posts = Post.filter(author_id=member_id, community_id=community_id, deleted_at__isnull=True).values("id")
    comments = Comment.filter(author_id=member_id, post__community_id=community_id, deleted_at__isnull=True)
    on_posts = Q(target_type=TargetType.POST, target_id__in=Subquery(posts))
    on_comments = Q(target_type=TargetType.COMMENT, target_id__in=Subquery(comments.values("id")))
    return await Reaction.filter(on_posts | on_comments).exclude(member_id=member_id).using_db(conn).count()


async def _kudos_received(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    return await Kudos.filter(receiver_id=member_id, community_id=community_id).using_db(conn).count()


async def _kudos_given(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    return await Kudos.filter(giver_id=member_id, community_id=community_id).using_db(conn).count()


async def _streak(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    """Consecutive days with activity, ending today."""
    days = await (
        Activity.filter(actor_id=member_id, community_id=community_id)
        .using_db(conn)
        .annotate(day=Day("created_at"))
        .distinct()
        .values_list("day", flat=True)
    )
    active = {day if isinstance(day, date) else date.fromisoformat(str(day)[:10]) for day in days}
    streak, day = 0, datetime.now(UTC).date()
    while day in active:
        streak, day = streak + 1, day - timedelta(days=1)
    return streak


async def _tasks_done(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    """Tasks someone else confirmed done: a manager who confirms their own task is not rewarded for it."""
    done = Task.filter(assignee_id=member_id, community_id=community_id, status=TaskStatus.DONE)
    confirmed_by_another = Q(confirmed_by_id__isnull=True) | ~Q(confirmed_by_id=member_id)
    return await done.filter(confirmed_by_another).using_db(conn).count()


async def _events_attended(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    attended = Rsvp.filter(member_id=member_id, event__community_id=community_id, checked_in_at__isnull=False)
    return await attended.using_db(conn).count()


async def _digests_published(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    published = Activity.filter(actor_id=member_id, community_id=community_id, verb=Verb.DIGEST_PUBLISHED)
    return await published.using_db(conn).count()


async def _most_commenters(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> int:
    """Distinct other members commenting on the member's busiest post."""
    rows = cast(
        list[int],
        await Comment.filter(post__author_id=member_id, post__community_id=community_id, deleted_at__isnull=True)
        .exclude(author_id=member_id)
        .using_db(conn)
        .annotate(n=Count("author_id", distinct=True))
        .group_by("post_id")
        .order_by("-n")
        .limit(1)
        .values_list("n", flat=True),
    )
    return rows[0] if rows else 0


@dataclass(frozen=True)
class AutomaticBadge:
    slug: str
    name: str
    tier: BadgeTier
    target: int
    count: Counter
    description: str


B, S, G = BadgeTier.BRONZE, BadgeTier.SILVER, BadgeTier.GOLD
CATALOGUE = [
    AutomaticBadge("first-post", "First post", B, 1, _posts, "Published a first post"),
    AutomaticBadge("introduced", "Introduced", B, 1, _introductions, "Answered the welcomes on your introduction"),
    AutomaticBadge("contributor", "Contributor", S, 10, _posts, "Published 10 posts"),
    AutomaticBadge("prolific", "Prolific", G, 50, _posts, "Published 50 posts"),
    AutomaticBadge("helpful", "Helpful", B, 1, _accepted_answers, "A first answer accepted"),
    AutomaticBadge("problem-solver", "Problem solver", S, 10, _accepted_answers, "10 answers accepted"),
    AutomaticBadge("expert", "Expert", G, 50, _accepted_answers, "50 answers accepted"),
    AutomaticBadge("welcomer", "Welcomer", B, 5, _newcomers_welcomed, "Welcomed 5 newcomers within 48 hours"),
    AutomaticBadge("welcome-committee", "Welcome committee", S, 25, _newcomers_welcomed, "Welcomed 25 newcomers"),
    AutomaticBadge("appreciated", "Appreciated", S, 100, _reactions_received, "100 reactions from others"),
    AutomaticBadge("thanked", "Thanked", B, 5, _kudos_received, "Received 5 kudos"),
    AutomaticBadge("much-thanked", "Much thanked", S, 25, _kudos_received, "Received 25 kudos"),
    AutomaticBadge("generous", "Generous", B, 10, _kudos_given, "Gave 10 kudos"),
    AutomaticBadge("streak-7", "Seven-day streak", S, 7, _streak, "Active 7 days in a row"),
    AutomaticBadge("streak-30", "Thirty-day streak", G, 30, _streak, "Active 30 days in a row"),
    AutomaticBadge(
        "conversation-starter", "Conversation starter", S, 10, _most_commenters, "A post 10 members commented on"
    ),
    AutomaticBadge("task-finisher", "Task finisher", B, 1, _tasks_done, "Completed a first task for the community"),
    AutomaticBadge("task-force", "Task force", S, 10, _tasks_done, "Completed 10 tasks for the community"),
    AutomaticBadge("digest-author", "Digest author", S, 1, _digests_published, "Edited and published a digest"),
    AutomaticBadge("event-goer", "Event goer", B, 1, _events_attended, "Checked in at a first event"),
    AutomaticBadge("event-regular", "Event regular", S, 5, _events_attended, "Checked in at 5 events"),
]


# What can change each count: a contribution's rule key, COMMENT_RECEIVED (someone else's comment on the
# member's post), INTRODUCTION_REPLIED (theirs on their own introduction) or KUDOS_GIVEN. A write checks
# only the badges it can move, not the whole catalogue.
CONTRIBUTIONS = frozenset(
    {"POST_PUBLISHED", "ANSWER_POSTED", "ANSWER_ACCEPTED", "REACTION_RECEIVED", "NEWCOMER_WELCOMED"}
    | {"KUDOS_RECEIVED", "KUDOS_GIVEN", "TASK_COMPLETED", "EVENT_ATTENDED", "DIGEST_PUBLISHED"}
)
MOVED_BY: dict[Counter, frozenset[str]] = {
    _posts: frozenset({"POST_PUBLISHED"}),
    _introductions: frozenset({"INTRODUCTION_REPLIED"}),
    _accepted_answers: frozenset({"ANSWER_ACCEPTED"}),
    _newcomers_welcomed: frozenset({"NEWCOMER_WELCOMED"}),
    _reactions_received: frozenset({"REACTION_RECEIVED"}),
    _kudos_received: frozenset({"KUDOS_RECEIVED"}),
    _kudos_given: frozenset({"KUDOS_GIVEN"}),
    _streak: CONTRIBUTIONS,  # any day the member contributes
    _most_commenters: frozenset({"COMMENT_RECEIVED"}),
    _tasks_done: frozenset({"TASK_COMPLETED"}),
    _events_attended: frozenset({"EVENT_ATTENDED"}),
    _digests_published: frozenset({"DIGEST_PUBLISHED"}),
}


async def badge_row(conn: BaseDBAsyncClient, community_id: int, spec: AutomaticBadge) -> Badge:
    row, _ = await Badge.get_or_create(
        community_id=community_id,
        slug=spec.slug,
        defaults={"name": spec.name, "description": spec.description, "tier": spec.tier, "automatic": True},
        using_db=conn,
    )
    return row


# Counts a write proves at least 1 by happening: a badge with target 1 needs no counting then.
PROVEN_BY: dict[Counter, str] = {
    _posts: "POST_PUBLISHED",
    _accepted_answers: "ANSWER_ACCEPTED",
    _digests_published: "DIGEST_PUBLISHED",
    _events_attended: "EVENT_ATTENDED",
}


async def check_badges(
    conn: Transaction, member_id: int, community_id: int, because: str, facts: Facts | None = None
) -> None:
    """Award the automatic badges `because` may have earned the member and they do not hold (inside writing()).

    Held badges are skipped before anything is counted; a count the write proves (its own first post) and the
    streak (from the facts' recent days) cost no statement. `facts`: read already by the write, or read here.
    """
    facts = facts or await read_facts(conn, member_id, community_id)
    counts: dict[Counter, int] = {_streak: facts.streak()}
    for spec in CATALOGUE:
        if spec.slug in facts.held or because not in MOVED_BY[spec.count]:
            continue
        proven = spec.target <= 1 and PROVEN_BY.get(spec.count) == because
        if not proven and spec.count not in counts:
            counts[spec.count] = await spec.count(conn, member_id, community_id)
        if proven or counts[spec.count] >= spec.target:
            badge = await badge_row(conn, community_id, spec)
            await record_award(conn, badge, member_id=member_id, community_id=community_id)


async def progress(member_id: int, community_id: int) -> list[tuple[AutomaticBadge, int, bool]]:
    """(badge, current count, earned) for every automatic badge: how close the member is."""
    conn = None  # outside a transaction: the counters read through the default connection
    held = set(
        cast(
            list[str],
            await BadgeAward.filter(member_id=member_id, community_id=community_id, badge__automatic=True).values_list(
                "badge__slug", flat=True
            ),
        )
    )
    counts: dict[Counter, int] = {}
    result = []
    for spec in CATALOGUE:
        if spec.count not in counts:
            counts[spec.count] = await spec.count(conn, member_id, community_id)
        result.append((spec, min(counts[spec.count], spec.target), spec.slug in held))
    return result
