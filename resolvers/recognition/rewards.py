"""Which contribution earns which points: called inside the contribution's own transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from models.activity import Activity
from models.communities import Membership
from models.posts import Comment, Post, PostKind, Reaction
from resolvers.outbox import Transaction
from resolvers.recognition.automatic_badges import COUNTS_OF_LEDGER_ROWS, check_badges, moved_by
from resolvers.recognition.facts import read_facts
from resolvers.recognition.levels import check_level
from resolvers.recognition.points import DEFAULT_RULES, WELCOME_WINDOW, earn, reaction_amount

UNREWARDED_KINDS = {PostKind.INTRODUCTION, PostKind.DIGEST}  # written for the member, not by them


async def lock_reaction_caps(conn: Transaction, member_id: int, community_id: int) -> None:
    """The receiver's membership row, locked until commit, makes today's reaction caps exact: reactions to one
    member queue here, one at a time (the caps are read after the lock, in a statement of their own), and
    reactions to anyone else do not wait for them."""
    await (
        Membership.filter(member_id=member_id, community_id=community_id)
        .using_db(conn)
        .select_for_update(no_key=True)
        .only("id")
    )


async def credit(
    conn: Transaction,
    reason: str,
    *,
    member_id: int,
    community_id: int,
    subject: tuple[str, int],
    given_by_id: int | None = None,
    activity_id: int | None = None,
) -> None:
    """A ledger row for the rule, then the level and badges it may earn the member (inside writing()).

    What the rules need of the member (the community's rules, their level, points and badges, the counts
    `reason` can move, today's reaction caps) is read in one statement before the row, and the row added to it.
    """
    if member_id == given_by_id:
        return  # nobody earns from themselves
    reacted_by = given_by_id if reason == "REACTION_RECEIVED" else None  # today's caps limit what reactions earn
    if reacted_by:
        await lock_reaction_caps(conn, member_id, community_id)
    facts = await read_facts(conn, member_id, community_id, counting=moved_by(reason), reaction_from=reacted_by)
    rules = {**DEFAULT_RULES, **facts.rule_overrides}
    earned = await earn(
        conn,
        rules,
        reason,
        member_id=member_id,
        community_id=community_id,
        subject=subject,
        given_by_id=given_by_id,
        activity_id=activity_id,
        amount=reaction_amount(rules, facts) if reacted_by else None,
    )
    if earned:
        facts = facts.plus(earned.amount, counted=COUNTS_OF_LEDGER_ROWS.get(reason))
        await check_level(conn, rules, member_id, community_id, facts)
        await check_badges(conn, member_id, community_id, reason, facts)


async def reward_post(conn: Transaction, post: Post, activity: Activity) -> None:
    if post.kind in UNREWARDED_KINDS:
        return
    await credit(
        conn,
        "POST_PUBLISHED",
        member_id=post.author_id,
        community_id=post.community_id,
        subject=("post", post.id),
        activity_id=activity.id,
    )


async def reward_comment(conn: Transaction, comment: Comment, post: Post, activity: Activity) -> None:
    """An answer to a question, or a first word of welcome on a recent introduction; and the badges a comment
    may earn the post's author (a conversation grows around them, or they take up their welcomes)."""
    reason = await _comment_reason(conn, comment, post)
    if reason:
        await credit(
            conn,
            reason,
            member_id=comment.author_id,
            community_id=post.community_id,
            subject=("comment", comment.id),
            given_by_id=post.author_id,
            activity_id=activity.id,
        )
    if comment.author_id != post.author_id:
        await check_badges(conn, post.author_id, post.community_id, "COMMENT_RECEIVED")
    elif post.kind == PostKind.INTRODUCTION:
        await check_badges(conn, post.author_id, post.community_id, "INTRODUCTION_REPLIED")


async def _comment_reason(conn: Transaction, comment: Comment, post: Post) -> str | None:
    if post.kind == PostKind.QUESTION and comment.parent_id is None:
        return "ANSWER_POSTED"
    if (
        post.kind == PostKind.INTRODUCTION
        and post.published_at
        and post.published_at > datetime.now(UTC) - WELCOME_WINDOW
    ):
        earlier = Comment.filter(post_id=post.id, author_id=comment.author_id).exclude(id=comment.id)
        return None if await earlier.using_db(conn).exists() else "NEWCOMER_WELCOMED"
    return None


async def reward_reaction(
    conn: Transaction, reaction: Reaction, author_id: int, community_id: int, activity: Activity
) -> None:
    await credit(
        conn,
        "REACTION_RECEIVED",
        member_id=author_id,
        community_id=community_id,
        subject=("reaction", reaction.id),
        given_by_id=reaction.member_id,
        activity_id=activity.id,
    )
