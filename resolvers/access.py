"""Who may see what, and who may do what: every visibility and permission rule of Cercle.

`visible_*` and `can_view_*` answer quietly (None, False); `require_*` raise
NOT_FOUND or FORBIDDEN for a field or mutation. Every path to content goes
through these, so a rule changes in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeGuard, TypeVar

from tortoise.expressions import Q, Subquery

from models.communities import Community, Invitation, Level, Membership, MembershipStatus, Role, Visibility
from models.events import Event
from models.members import Member
from models.posts import Comment, Post, PostStatus
from models.recognition import Badge
from models.tasks import Task, TaskStatus
from realtime.messages import Message
from resolvers.context import Context
from resolvers.errors import Forbidden, NotFound
from resolvers.ids import pk_of
from resolvers.validation import username_for_lookup

# Roles and earned levels

MODERATING_ROLES = {Role.OWNER, Role.MODERATOR, Role.MANAGER}
MANAGING_ROLES = {Role.OWNER, Role.MANAGER}
LEVEL_ORDER = [Level.NEWCOMER, Level.MEMBER, Level.REGULAR, Level.LEADER]
CommunityRow = TypeVar("CommunityRow", Task, Event)


def is_active(membership: Membership | None) -> TypeGuard[Membership]:
    return membership is not None and membership.status == MembershipStatus.ACTIVE


def has_role(membership: Membership | None, roles: set[Role]) -> TypeGuard[Membership]:
    return is_active(membership) and membership.role in roles


def at_least(membership: Membership | None, level: Level) -> bool:
    return membership is not None and LEVEL_ORDER.index(membership.level) >= LEVEL_ORDER.index(level)


def may_moderate(membership: Membership | None) -> bool:
    """Moderators by role, and members who earned the LEADER level."""
    return has_role(membership, MODERATING_ROLES) or (is_active(membership) and at_least(membership, Level.LEADER))


async def viewer_membership(ctx: Context, community_id: int) -> Membership | None:
    return await ctx.loaders.viewer_membership_by_community_id.load(community_id)


# Members


def can_view_email(ctx: Context, member: Member) -> bool:
    """A member's email is for the member alone."""
    return ctx.viewer_id == member.id


# Communities


async def can_view_community(ctx: Context, community: Community) -> bool:
    if community.visibility == Visibility.PUBLIC:
        return True
    return is_active(await viewer_membership(ctx, community.id))


def visible_communities(viewer_id: int | None, through: str = "") -> Q:
    """can_view_community as a filter, so a list is one statement: public communities, and the private ones
    the viewer is an active member of. `through` leads from the rows filtered to their community."""
    public = Q(**{f"{through}visibility": Visibility.PUBLIC})
    if viewer_id is None:
        return public
    active = Membership.filter(member_id=viewer_id, status=MembershipStatus.ACTIVE).values("community_id")
    # Typed as Q types its filters: a dict of Subquery values would also have to fit its join_type: str.
    in_active: dict[str, Any] = {f"{through}id__in": Subquery(active)}
    return public | Q(**in_active)


async def visible_community(ctx: Context, community_id: int) -> Community | None:
    community = await ctx.loaders.community_by_id.load(community_id)
    return community if community and await can_view_community(ctx, community) else None


async def community_by_slug(ctx: Context, slug: str) -> Community | None:
    """The community, or None when absent or hidden from the viewer (a page of fields naming it: one lookup)."""
    community = await ctx.loaders.community_by_slug.load(slug)
    if community is None:
        return None
    ctx.loaders.community_by_id.prime(community.id, community)
    if community.visibility == Visibility.PRIVATE and not is_active(await viewer_membership(ctx, community.id)):
        return None
    return community


async def require_community(ctx: Context, slug: str, field: str = "communitySlug") -> Community:
    community = await community_by_slug(ctx, slug)
    if community is None:
        raise NotFound(f"No community '{slug[:50]}'.", field=field)
    return community


async def require_followable_community(ctx: Context, slug: str) -> Community:
    """The community a live feed follows: NOT_FOUND if absent, FORBIDDEN if private to the viewer."""
    community = await community_by_slug(ctx, slug)
    if community is None:
        if await Community.filter(slug=slug.strip().lower()[:50]).exists():
            raise Forbidden("This community's live feeds are for its members only.", field="communitySlug")
        raise NotFound(f"No community '{slug[:50]}'.", field="communitySlug")
    return community


async def require_inside_view(ctx: Context, community: Community) -> None:
    """A private community's content and counts (members, posts, standings, created date...) are for its
    active members. Someone it knows only through their own membership (a request, a rejection, a ban) holds
    its Community object, and may read who it is (name, slug, description, visibility, join policy), not
    what is inside."""
    if not await can_view_community(ctx, community):
        raise Forbidden("Only active members can see inside this private community.")


async def require_active_member(ctx: Context, community: Community, action: str) -> Membership:
    await ctx.require_viewer()
    membership = await viewer_membership(ctx, community.id)
    if not is_active(membership):
        raise Forbidden(f"Only members of this community can {action}.")
    return membership


async def require_role(ctx: Context, community: Community, roles: set[Role], action: str) -> Membership:
    await ctx.require_viewer()
    membership = await viewer_membership(ctx, community.id)
    if not has_role(membership, roles):
        raise Forbidden(f"Only {' or '.join(sorted(r.value.lower() + 's' for r in roles))} can {action}.")
    return membership


async def require_manager(ctx: Context, community: Community) -> None:
    await require_role(ctx, community, MANAGING_ROLES, "see engagement analytics")


async def active_member_named(community: Community, username: str, field: str = "username") -> Membership:
    """The active membership of `username` in the community (with its member), or NOT_FOUND on `field`."""
    key = username_for_lookup(username)
    membership = (
        await Membership.get_or_none(
            community_id=community.id, member__username=key, status=MembershipStatus.ACTIVE
        ).prefetch_related("member")
        if key
        else None
    )
    if membership is None:
        raise NotFound(f"'{username[:30]}' is not an active member of this community.", field=field)
    return membership


async def can_view_membership(ctx: Context, membership: Membership) -> bool:
    """Active memberships: whoever sees the community. Requests, rejections and bans
    (listed by members(status:) for managers only): the member and the managers."""
    if membership.member_id == ctx.viewer_id and ctx.viewer_id is not None:
        return True
    if membership.status != MembershipStatus.ACTIVE:
        return has_role(await viewer_membership(ctx, membership.community_id), MANAGING_ROLES)
    return await visible_community(ctx, membership.community_id) is not None


async def can_view_invitation(ctx: Context, invitation: Invitation) -> bool:
    """An invitation's code lets people in: the community's owners and managers only."""
    return has_role(await viewer_membership(ctx, invitation.community_id), MANAGING_ROLES)


# Posts and comments


async def can_view_post(ctx: Context, post: Post) -> bool:
    if post.deleted_at is not None:
        return False
    community = await ctx.loaders.community_by_id.load(post.community_id)
    if community is None or not await can_view_community(ctx, community):
        return False
    if post.status == PostStatus.PUBLISHED:
        return True
    # Drafts and scheduled posts: their author, the community's moderators, the member given it as a task.
    if post.author_id == ctx.viewer_id or has_role(await viewer_membership(ctx, post.community_id), MODERATING_ROLES):
        return True
    return await is_post_editor(ctx, post)


async def is_post_editor(ctx: Context, post: Post) -> bool:
    """The assignee of an unfinished task to edit this unpublished post (the digest editor)."""
    if ctx.viewer_id is None:
        return False
    unfinished = [TaskStatus.ASSIGNED, TaskStatus.IN_REVIEW]
    return await Task.exists(post_id=post.id, assignee_id=ctx.viewer_id, status__in=unfinished)


async def may_prepare(ctx: Context, post: Post) -> bool:
    """Who may edit and publish a post before it is out: its author (still an active member), moderators,
    and the member a manager gave it to as a task (the digest editor)."""
    membership = await viewer_membership(ctx, post.community_id)
    if not is_active(membership):
        return False
    if post.author_id == ctx.viewer_id or has_role(membership, MODERATING_ROLES):
        return True
    return await is_post_editor(ctx, post)


async def can_view_comment(ctx: Context, comment: Comment) -> bool:
    if comment.deleted_at is not None:
        return False
    post = await ctx.loaders.post_by_id.load(comment.post_id)
    return post is not None and await can_view_post(ctx, post)


async def visible_post(ctx: Context, post_id: int) -> Post | None:
    post = await ctx.loaders.post_by_id.load(post_id)
    return post if post and await can_view_post(ctx, post) else None


async def visible_comment(ctx: Context, comment_id: int) -> Comment | None:
    comment = await ctx.loaders.comment_by_id.load(comment_id)
    return comment if comment and await can_view_comment(ctx, comment) else None


async def require_visible_post(ctx: Context, post_id: str, field: str = "postId") -> Post:
    post = await visible_post(ctx, pk_of(post_id, "Post", field=field))
    if post is None:
        raise NotFound("No such post.", field=field)
    return post


async def require_visible_comment(ctx: Context, comment_id: str, field: str = "commentId") -> Comment:
    comment = await visible_comment(ctx, pk_of(comment_id, "Comment", field=field))
    if comment is None:
        raise NotFound("No such comment.", field=field)
    return comment


# Other rows of a community: tasks, events


async def require_visible_row(
    ctx: Context, model: type[CommunityRow], global_id: str, field: str
) -> tuple[CommunityRow, Community]:
    """A task, an event...: the row and its community, if the viewer may see it (NOT_FOUND otherwise, private
    or not)."""
    type_name = model.__name__
    row = await model.get_or_none(id=pk_of(global_id, type_name, field=field))
    community = await visible_community(ctx, row.community_id) if row else None
    if row is None or community is None:
        raise NotFound(f"No such {type_name.lower()}.", field=field)
    return row, community


async def require_task(ctx: Context, task_id: str) -> tuple[Task, Community]:
    return await require_visible_row(ctx, Task, task_id, field="taskId")


async def require_event(ctx: Context, event_id: str) -> tuple[Event, Community]:
    return await require_visible_row(ctx, Event, event_id, field="eventId")


# Recognition


async def can_view_badge(ctx: Context, badge: Badge) -> bool:
    """Built-in badges (no community) are offered everywhere; a custom one is seen with its community."""
    return badge.community_id is None or await visible_community(ctx, badge.community_id) is not None


def refuse_self_reward(giver: Membership, receiver: Membership, field: str) -> None:
    """Points, badges and kudos are others' recognition: nobody gives them to themselves, managers included."""
    if giver.member_id == receiver.member_id:
        raise Forbidden("Nobody rewards themselves: recognition comes from someone else.", field=field)


# Live feeds: subscriptions check again whenever access may have changed


class FeedAccess:
    """The viewer's access to a community's feeds, checked again whenever it may have changed.

    A change that can take access away (a ban, a role change) bumps the community's
    access version, and every message committed after it carries the new version (see
    resolvers/communities/access_changes.py). So a message newer than the version the
    viewer was last checked at is shown only after checking again, whether or not the
    broker delivered the change's own message: Redis down, a reconnect or a gap filled
    from the table cannot let a banned member's feed run on. A membership message about
    someone else, next in version, needs no check (most bans concern one viewer).
    """

    def __init__(self, ctx: Context, community_id: int, require: Callable[[], Awaitable[None]]) -> None:
        self.ctx = ctx
        self.community_id = community_id
        self.version = -1  # nothing checked yet
        self._require = require  # raises FORBIDDEN when the viewer may no longer follow the feed

    async def recheck(self) -> None:
        """Check now (fresh rows), remembering the version read before the membership it is checked against."""
        self.ctx.refresh_loaders()
        community = await self.ctx.loaders.community_by_id.load(self.community_id)
        version = community.access_version if community else self.version
        await self._require()
        self.version = max(self.version, version)

    async def check(self, message: Message) -> None:
        """Before a message is shown (or on a membership message): check again if access may have changed."""
        version = 0 if message["type"] == "notification" else message["access_version"]
        about_viewer = message["type"] == "membership" and message["member_id"] == self.ctx.viewer_id
        if version <= self.version and not about_viewer:
            return
        if version == self.version + 1 and message["type"] == "membership" and not about_viewer:
            self.version = version  # someone else's change, and none was missed before it
            return
        await self.recheck()


async def may_follow(ctx: Context, community_id: int, *, checked_at_version: int | None = None) -> FeedAccess:
    """The access of a viewer who may see the community (FORBIDDEN once they may not: a private one's ban).
    `checked_at_version`: the viewer was just found allowed at that access version (resolvers/live_access.py)."""

    async def require_visible() -> None:
        if await visible_community(ctx, community_id) is None:
            raise Forbidden("You are no longer a member of this private community.")

    access = FeedAccess(ctx, community_id, require_visible)
    if checked_at_version is None:
        await access.recheck()
    else:
        access.version = checked_at_version
    return access
