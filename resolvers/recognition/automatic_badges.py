"""Automatic badges: each a count over the ledger or the content, a target, and a tier.

Checked inside the writing transaction of the contribution that may earn them
(the community row is locked by then, so checks in one community run one at a
time); the unique key on awards is the guarantee that none is awarded twice.
Every community gets its own row for each automatic badge, made on first use.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from models.recognition import Badge, BadgeTier
from resolvers.outbox import Transaction
from resolvers.recognition.badges import record_award
from resolvers.recognition.facts import Facts, read_facts


@dataclass(frozen=True)
class Counter:
    """A count of what the member did in the community: a scalar subquery over :member and :community, read
    with the rest of the member's facts (one statement for a whole write, or a whole page of progress)."""

    name: str
    sql: str


_LIVE_COMMENT = (
    "FROM comment c JOIN post p ON p.id = c.post_id WHERE c.deleted_at IS NULL AND p.community_id = :community"
)
_posts = Counter(
    "posts",
    "SELECT COUNT(*) FROM post WHERE author_id = :member AND community_id = :community AND status = 'PUBLISHED'"
    " AND deleted_at IS NULL AND kind NOT IN ('INTRODUCTION', 'DIGEST')",
)
# Replies of the newcomer on their own introduction: Cercle writes the post, the member takes it up.
_introductions = Counter(
    "introductions",
    f"SELECT COUNT(*) {_LIVE_COMMENT} AND c.author_id = :member AND p.author_id = :member AND p.kind = 'INTRODUCTION'",
)
_accepted_answers = Counter(
    "accepted_answers",
    f"SELECT COUNT(*) {_LIVE_COMMENT} AND c.author_id = :member AND c.accepted AND p.author_id <> :member",
)
_newcomers_welcomed = Counter(
    "newcomers_welcomed",
    "SELECT COUNT(*) FROM points_entry e WHERE e.member_id = :member AND e.community_id = :community"
    " AND e.reason = 'NEWCOMER_WELCOMED' AND NOT EXISTS (SELECT 1 FROM points_entry r WHERE r.reverses_id = e.id)",
)
_reactions_received = Counter(
    "reactions_received",
    "SELECT COUNT(*) FROM reaction r WHERE r.member_id <> :member AND ("
    "(r.target_type = 'post' AND r.target_id IN (SELECT id FROM post"
    " WHERE author_id = :member AND community_id = :community AND deleted_at IS NULL))"
    f" OR (r.target_type = 'comment' AND r.target_id IN (SELECT c.id {_LIVE_COMMENT} AND c.author_id = :member)))",
)
_kudos_received = Counter(
    "kudos_received", "SELECT COUNT(*) FROM kudos WHERE receiver_id = :member AND community_id = :community"
)
_kudos_given = Counter(
    "kudos_given", "SELECT COUNT(*) FROM kudos WHERE giver_id = :member AND community_id = :community"
)
# Consecutive days with activity, ending today: from the facts' recent days, not a statement of its own.
_streak = Counter("streak", "")
# Tasks someone else confirmed done: a manager who confirms their own task is not rewarded for it.
_tasks_done = Counter(
    "tasks_done",
    "SELECT COUNT(*) FROM task WHERE assignee_id = :member AND community_id = :community AND status = 'DONE'"
    " AND (confirmed_by_id IS NULL OR confirmed_by_id <> :member)",
)
_events_attended = Counter(
    "events_attended",
    "SELECT COUNT(*) FROM rsvp r JOIN event e ON e.id = r.event_id"
    " WHERE r.member_id = :member AND e.community_id = :community AND r.checked_in_at IS NOT NULL",
)
_digests_published = Counter(
    "digests_published",
    "SELECT COUNT(*) FROM activity WHERE actor_id = :member AND community_id = :community"
    " AND verb = 'DIGEST_PUBLISHED'",
)
# Distinct other members commenting on the member's busiest post.
_most_commenters = Counter(
    "most_commenters",
    f"SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(DISTINCT c.author_id) AS n {_LIVE_COMMENT}"
    " AND p.author_id = :member AND c.author_id <> :member GROUP BY c.post_id) commenters",
)


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


# Counts of the ledger's own rows, by the rule that writes them: a write reads them before its row.
COUNTS_OF_LEDGER_ROWS = {"NEWCOMER_WELCOMED": _newcomers_welcomed.name}


def moved_by(because: str) -> dict[str, str]:
    """{name: SQL} of the counts `because` can move (the streak aside): what a write reads with the facts."""
    return {counter.name: counter.sql for counter, reasons in MOVED_BY.items() if because in reasons and counter.sql}


def _count(facts: Facts, counter: Counter) -> int:
    return facts.streak() if counter is _streak else facts.counts[counter.name]


async def check_badges(
    conn: Transaction, member_id: int, community_id: int, because: str, facts: Facts | None = None
) -> None:
    """Award the automatic badges `because` may have earned the member and they do not hold (inside writing()).

    `facts`: the member's as the write leaves them, read with the counts `because` moves; read here otherwise.
    """
    facts = facts or await read_facts(conn, member_id, community_id, counting=moved_by(because))
    for spec in CATALOGUE:
        if spec.slug in facts.held or because not in MOVED_BY[spec.count]:
            continue
        if _count(facts, spec.count) >= spec.target:
            badge = await badge_row(conn, community_id, spec)
            await record_award(conn, badge, member_id=member_id, community_id=community_id)


async def progress(member_id: int, community_id: int) -> list[tuple[AutomaticBadge, int, bool]]:
    """(badge, current count, earned) for every automatic badge: how close the member is, in one statement."""
    every = {spec.count.name: spec.count.sql for spec in CATALOGUE if spec.count.sql}
    facts = await read_facts(connections.get("default"), member_id, community_id, counting=every)
    return [(spec, min(_count(facts, spec.count), spec.target), spec.slug in facts.held) for spec in CATALOGUE]
