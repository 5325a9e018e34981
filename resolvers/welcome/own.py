"""The welcome a member got on joining, for them to find again on the community's page."""

from __future__ import annotations

from models.activity import Activity, Verb
from models.communities import Membership
from realtime.messages import ActivityMessage, activity_message
from resolvers.context import Context


async def own_welcome(ctx: Context, membership: Membership) -> ActivityMessage | None:
    """The WELCOMED event of the viewer's own membership; None for anyone else's, before a welcome,
    or once the activity log has let it go."""
    if ctx.viewer_id is None or ctx.viewer_id != membership.member_id or membership.welcomed_at is None:
        return None
    row = (
        await Activity.filter(community_id=membership.community_id, actor_id=membership.member_id, verb=Verb.WELCOMED)
        .order_by("-seq")
        .first()
    )
    return activity_message(row) if row else None
