"""`node(id:)`: any object by global id, with the same visibility rules as every other path."""

from __future__ import annotations

import strawberry

from models.events import Event as EventRow
from models.points import Kudos as KudosRow
from models.tasks import Task as TaskRow
from resolvers.access import (
    MANAGING_ROLES,
    can_view_membership,
    has_role,
    viewer_membership,
    visible_comment,
    visible_community,
    visible_post,
)
from resolvers.errors import NotFound
from resolvers.ids import can_name_a_row, from_global_id
from schema.base import CercleInfo, Node
from schema.communities import Community, Invitation, Membership
from schema.events import Event
from schema.members import Member
from schema.posts import Comment, Post
from schema.recognition.badges import Badge, visible_award
from schema.recognition.kudos import Kudos
from schema.tasks import Task

NOTHING_VISIBLE = "Nothing with this id is visible to you."


async def resolve_node(info: CercleInfo, global_id: str) -> Node | None:
    ctx = info.context
    type_name, pk = from_global_id(global_id)
    if not can_name_a_row(type_name, pk):  # an unknown type, or a number beyond its column
        raise NotFound(NOTHING_VISIBLE, field="id")
    node: Node | None = None
    if type_name == "Member":
        row = await ctx.loaders.member_by_id.load(pk)
        node = Member.from_row(row) if row else None
    elif type_name == "Community":
        community = await visible_community(ctx, pk)
        node = Community.from_row(community) if community else None
    elif type_name == "Membership":
        membership = await ctx.loaders.membership_by_id.load(pk)
        if membership and await can_view_membership(ctx, membership):
            node = Membership.from_row(membership)
    elif type_name == "Post":
        post = await visible_post(ctx, pk)
        node = Post.from_row(post) if post else None
    elif type_name == "Comment":
        comment = await visible_comment(ctx, pk)
        node = Comment.from_row(comment) if comment else None
    elif type_name == "Invitation":
        invitation = await ctx.loaders.invitation_by_id.load(pk)
        if invitation and has_role(await viewer_membership(ctx, invitation.community_id), MANAGING_ROLES):
            node = Invitation.from_row(invitation)
    elif type_name == "Task":
        task = await TaskRow.get_or_none(id=pk)
        if task and await visible_community(ctx, task.community_id):
            node = Task.from_row(task)
    elif type_name == "Event":
        event = await EventRow.get_or_none(id=pk)
        if event and await visible_community(ctx, event.community_id):
            node = Event.from_row(event)
    elif type_name == "Kudos":
        kudos = await KudosRow.get_or_none(id=pk)
        if kudos and await visible_community(ctx, kudos.community_id):
            node = Kudos.from_row(kudos)
    elif type_name in ("Badge", "BadgeAward"):
        node = await _recognition_node(info, type_name, pk)
    if node is None:
        raise NotFound(NOTHING_VISIBLE, field="id")
    return node


async def _recognition_node(info: CercleInfo, type_name: str, pk: int) -> Node | None:
    if type_name == "BadgeAward":
        return await visible_award(info, pk)
    badge = await info.context.loaders.badge_by_id.load(pk)
    if badge and (badge.community_id is None or await visible_community(info.context, badge.community_id)):
        return Badge.from_row(badge)
    return None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; null with NOT_FOUND when absent or hidden.")
    async def node(self, info: CercleInfo, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)
