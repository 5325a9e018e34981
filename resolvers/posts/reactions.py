"""Reactions to posts and comments; reacting twice changes nothing, and taking one back takes back its points."""

from __future__ import annotations

from typing import cast

from tortoise.exceptions import IntegrityError

from models.activity import Verb
from models.posts import Comment, Post, PostStatus, Reaction, ReactionKind, TargetType
from resolvers.access import require_active_member, visible_comment, visible_post
from resolvers.activity import append_activity
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import from_global_id
from resolvers.loaders import forget
from resolvers.outbox import queue, writing
from resolvers.ratelimit import check_rate
from resolvers.recognition.points import take_back
from resolvers.recognition.rewards import reward_reaction


async def resolve_target(ctx: Context, target_id: str) -> tuple[TargetType, Post | Comment, int]:
    """A reactable post or comment the viewer can see, and its community id."""
    type_name, pk = from_global_id(target_id, field="targetId")
    target: Post | Comment | None
    if type_name == "Post":
        target = await visible_post(ctx, pk)
        if target is not None and target.status == PostStatus.PUBLISHED:
            return TargetType.POST, target, target.community_id
    elif type_name == "Comment":
        target = await visible_comment(ctx, pk)
        if target is not None:
            post = await ctx.loaders.post_by_id.load(target.post_id)
            assert post is not None, "loaded when the comment was found visible"
            return TargetType.COMMENT, target, post.community_id
    else:
        raise BadUserInput("Only posts and comments take reactions.", field="targetId")
    raise NotFound("No such post or comment.", field="targetId")


async def do_react(ctx: Context, target_id: str, kind: ReactionKind, add: bool) -> tuple[TargetType, int]:
    target_type, target, community_id = await resolve_target(ctx, target_id)
    community = await ctx.loaders.community_by_id.load(community_id)
    assert community is not None, "loaded when the target was found visible"
    await require_active_member(ctx, community, "react here")
    await check_rate(ctx, "mutation")
    key = {"member_id": ctx.viewer_id, "target_type": target_type, "target_id": target.id, "kind": kind}
    if add:
        try:
            async with writing() as conn:
                reaction = await Reaction.create(using_db=conn, **key)
                activity = await append_activity(
                    conn,
                    community_id=community_id,
                    actor_id=ctx.viewer_id,
                    verb=Verb.REACTED,
                    subject_type=target_type.value,
                    subject_id=target.id,
                    payload={"kind": kind.value, "author_id": target.author_id},
                )
                queue(conn, activity)
                await reward_reaction(conn, reaction, target.author_id, community_id, activity)
        except IntegrityError:
            pass  # already reacted: reacting again changes nothing
    else:
        async with writing() as conn:
            ids = cast(list[int], await Reaction.filter(**key).using_db(conn).values_list("id", flat=True))
            await take_back(conn, [("reaction", pk) for pk in ids])
            await Reaction.filter(id__in=ids).using_db(conn).delete()
    # The summary, and later mutations of this request, must count again.
    forget(ctx.loaders.reaction_counts_by_target, (target_type, target.id))
    forget(ctx.loaders.viewer_reactions_by_target, (target_type, target.id))
    return target_type, target.id
