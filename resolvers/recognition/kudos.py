"""Kudos: public thanks from one member to another, in the feed, the receiver's notifications and points."""

from __future__ import annotations

from models.activity import Verb
from models.communities import Level
from models.notifications import NotificationKind
from models.points import Kudos
from resolvers.access import (
    MODERATING_ROLES,
    active_member_named,
    at_least,
    has_role,
    refuse_self_reward,
    require_active_member,
    require_community,
)
from resolvers.activity import append_activity
from resolvers.context import Context
from resolvers.errors import Forbidden
from resolvers.notifications.notifications import excerpt, notify
from resolvers.outbox import queue, writing
from resolvers.pagination import Page, paginate
from resolvers.ratelimit import check_rate
from resolvers.recognition.automatic_badges import check_badges
from resolvers.recognition.rewards import credit
from resolvers.validation import check_text

MAX_MESSAGE = 500


async def do_give_kudos(ctx: Context, community_slug: str, to_username: str, message: str) -> Kudos:
    community = await require_community(ctx, community_slug)
    giver = await require_active_member(ctx, community, "give kudos")
    if not (at_least(giver, Level.MEMBER) or has_role(giver, MODERATING_ROLES)):
        raise Forbidden("Kudos are given from level MEMBER on: contribute here first (posts, answers).")
    await check_rate(ctx, "kudos")
    message = check_text(message, "message", max_length=MAX_MESSAGE)
    receiver = await active_member_named(community, to_username, "toUsername")
    refuse_self_reward(giver, receiver, "toUsername")
    async with writing() as conn:
        kudos = await Kudos.create(
            using_db=conn,
            community_id=community.id,
            giver_id=giver.member_id,
            receiver_id=receiver.member_id,
            message=message,
        )
        activity = await append_activity(
            conn,
            community_id=community.id,
            actor_id=giver.member_id,
            verb=Verb.KUDOS,
            subject_type="kudos",
            subject_id=kudos.id,
            payload={"to_id": receiver.member_id, "title": receiver.member.display_name, "excerpt": excerpt(message)},
        )
        await credit(
            conn,
            "KUDOS_RECEIVED",
            member_id=receiver.member_id,
            community_id=community.id,
            subject=("kudos", kudos.id),
            given_by_id=giver.member_id,
            activity_id=activity.id,
        )
        await check_badges(conn, giver.member_id, community.id, "KUDOS_GIVEN")
        notifications = await notify(
            conn,
            {receiver.member_id: NotificationKind.KUDOS},
            actor_id=giver.member_id,
            community_id=community.id,
            subject_type="kudos",
            subject_id=kudos.id,
            payload={"title": community.name, "excerpt": excerpt(message)},
        )
        queue(conn, activity, *notifications)
    return kudos


async def list_kudos(
    community_id: int, *, receiver_id: int | None = None, first: int | None, after: str | None
) -> Page[Kudos]:
    query = Kudos.filter(community_id=community_id)
    if receiver_id is not None:
        query = query.filter(receiver_id=receiver_id)
    return await paginate(query, ("-created_at", "-id"), first=first, after=after)
