"""Points: a ledger of rows written in the same transaction as the contribution that earns them.

Rules are defaults in code (DEFAULT_RULES, documented in the README) that a
community's managers may override; a changed value applies from then on, since
past rows keep the amount they were written with. Undoing a contribution
(unreact, deletion, an answer no longer accepted) writes a reversing row.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from models.communities import Membership
from models.points import CommunityRule, PointsEntry
from resolvers.access import MANAGING_ROLES, active_member_named, refuse_self_reward, require_community, require_role
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.loaders import forget
from resolvers.outbox import Transaction, follow_up, writing
from resolvers.ratelimit import check_rate
from resolvers.recognition.facts import Facts
from resolvers.recognition.levels import check_level
from resolvers.recognition.weekly_top import settle
from resolvers.validation import check_line

DEFAULT_RULES: dict[str, int] = {
    "POST_PUBLISHED": 5,  # publishing a post (introductions and digests excepted)
    "ANSWER_POSTED": 2,  # answering someone else's question
    "ANSWER_ACCEPTED": 15,  # your answer accepted by the asker
    "REACTION_RECEIVED": 1,  # a reaction from another member to your post or comment
    "REACTION_DAILY_CAP": 20,  # at most this many points a day from reactions received
    "REACTION_PAIR_DAILY_CAP": 5,  # ... and at most this many from any one member's reactions
    "NEWCOMER_WELCOMED": 5,  # commenting on a newcomer's introduction within 48 hours
    "KUDOS_RECEIVED": 10,  # public thanks from another member
    "EVENT_ATTENDED": 10,  # checked in at an event (once per event)
    # Earned levels: points and active days (days with any activity of theirs) in the community.
    "LEVEL_MEMBER_POINTS": 10,  # MEMBER: may give kudos
    "LEVEL_MEMBER_DAYS": 1,
    "LEVEL_REGULAR_POINTS": 100,  # REGULAR: may also approve pending members, edit others' tags
    "LEVEL_REGULAR_DAYS": 7,
    "LEVEL_LEADER_POINTS": 500,  # LEADER: may also hide posts and comments and pin posts, like a moderator
    "LEVEL_LEADER_DAYS": 20,
}
RULE_MAX = 100_000
GRANT_MAX = 1000
WELCOME_WINDOW = timedelta(hours=48)


async def rules_of(conn: BaseDBAsyncClient | None, community_id: int) -> dict[str, int]:
    query = CommunityRule.filter(community_id=community_id)
    overrides = await (query.using_db(conn) if conn else query).values_list("key", "value")
    return {**DEFAULT_RULES, **dict(overrides)}


async def rules_with_defaults(community_id: int) -> list[tuple[str, int, int]]:
    """Every rule as (key, the community's value, Cercle's default), in DEFAULT_RULES order."""
    values = await rules_of(None, community_id)
    return [(key, values[key], default) for key, default in DEFAULT_RULES.items()]


async def earn(
    conn: Transaction,
    rules: dict[str, int],
    reason: str,
    *,
    member_id: int,
    community_id: int,
    subject: tuple[str, int],
    given_by_id: int | None = None,
    activity_id: int | None = None,
    amount: int | None = None,
) -> PointsEntry | None:
    """A ledger row for a rule (None when the rule is worth nothing, or the member earned from themselves)."""
    amount = rules[reason] if amount is None else amount
    if amount <= 0 or member_id == given_by_id:
        return None
    return await write_entry(
        conn,
        member_id=member_id,
        community_id=community_id,
        amount=amount,
        reason=reason,
        subject_type=subject[0],
        subject_id=subject[1],
        given_by_id=given_by_id,
        activity_id=activity_id,
    )


async def write_entry(tx: Transaction, **row: object) -> PointsEntry:
    """The one way rows enter the ledger: the weekly top's moves are settled from these after commit."""
    entry = await PointsEntry.create(using_db=tx, **row)
    written = follow_up(tx, settle, dict)  # {community_id: {member_id: amount}}
    members = written.setdefault(entry.community_id, {})
    members[entry.member_id] = members.get(entry.member_id, 0) + entry.amount
    return entry


def reaction_amount(rules: dict[str, int], facts: Facts) -> int:
    """The rule's value within today's caps. Reversals do not free the cap, so flipping a reaction earns nothing."""
    room = min(
        rules["REACTION_DAILY_CAP"] - facts.reactions_today,
        rules["REACTION_PAIR_DAILY_CAP"] - facts.reactions_today_from_giver,
    )
    return max(0, min(rules["REACTION_RECEIVED"], room))


async def take_back(conn: Transaction, subjects: list[tuple[str, int]], reason: str | None = None) -> list[PointsEntry]:
    """Reverse every row earned by these subjects (and this reason) that is not reversed yet."""
    reversed_rows = []
    for subject_type, subject_ids in _grouped(subjects).items():
        query = PointsEntry.filter(
            subject_type=subject_type, subject_id__in=subject_ids, amount__gt=0, reversed_by__id__isnull=True
        ).using_db(conn)
        if reason:
            query = query.filter(reason=reason)
        for entry in await query:
            reversed_rows.append(
                await write_entry(
                    conn,
                    member_id=entry.member_id,
                    community_id=entry.community_id,
                    amount=-entry.amount,
                    reason="REVERSAL",
                    subject_type=entry.subject_type,
                    subject_id=entry.subject_id,
                    reverses_id=entry.id,
                )
            )
    return reversed_rows


def _grouped(subjects: list[tuple[str, int]]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for subject_type, subject_id in subjects:
        grouped.setdefault(subject_type, []).append(subject_id)
    return grouped


async def do_set_rule(ctx: Context, community_slug: str, key: str, value: int) -> tuple[str, int]:
    """A manager sets the community's value of one rule; from now on, never for rows already written."""
    community = await require_community(ctx, community_slug)
    manager = await require_role(ctx, community, MANAGING_ROLES, "change the points rules")
    await check_rate(ctx, "mutation")
    if key not in DEFAULT_RULES:
        raise BadUserInput(f"No rule '{key[:40]}'; the rules are {', '.join(DEFAULT_RULES)}.", field="key")
    if not 0 <= value <= RULE_MAX:
        raise BadUserInput(f"'value' must be between 0 and {RULE_MAX}.", field="value")
    await CommunityRule.update_or_create(
        defaults={"value": value, "updated_by_id": manager.member_id}, community_id=community.id, key=key
    )
    return key, value


async def do_grant_points(ctx: Context, community_slug: str, username: str, amount: int, reason: str) -> Membership:
    """Points by hand, with a reason (a talk, a meetup): a ledger row like any other; negative to remove."""
    community = await require_community(ctx, community_slug)
    manager = await require_role(ctx, community, MANAGING_ROLES, "grant points")
    await check_rate(ctx, "mutation")
    if amount == 0 or abs(amount) > GRANT_MAX:
        raise BadUserInput(f"'amount' must be between -{GRANT_MAX} and {GRANT_MAX}, and not 0.", field="amount")
    reason = check_line(reason, "reason", max_length=200)
    membership = await active_member_named(community, username)
    refuse_self_reward(manager, membership, "username")
    async with writing() as conn:
        await write_entry(
            conn,
            member_id=membership.member_id,
            community_id=community.id,
            amount=amount,
            reason="MANUAL",
            note=reason,
            given_by_id=manager.member_id,
        )
        await check_level(conn, await rules_of(conn, community.id), membership.member_id, community.id)
    forget(ctx.loaders.points_by_membership, (membership.member_id, community.id))
    return membership
