"""Lists of communities and of their members, as the viewer may see them."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.communities import (
    Community,
    Membership,
    MembershipStatus,
    Role,
)
from resolvers.access import (
    MANAGING_ROLES,
    require_inside_view,
    require_role,
    visible_communities,
)
from resolvers.context import Context
from resolvers.errors import Forbidden
from resolvers.pagination import Page, paginate
from resolvers.validation import (
    check_text,
    normalise_labels,
)


async def list_communities(
    ctx: Context, *, search: str | None, first: int | None, after: str | None
) -> Page[Community]:
    query = Community.filter(visible_communities(ctx.viewer_id))
    if search and search.strip():
        term = check_text(search, "search", max_length=100)
        query = query.filter(Q(name__icontains=term) | Q(slug__icontains=term) | Q(description__icontains=term))
    return await paginate(query, ("name", "id"), first=first, after=after)


async def list_members(
    ctx: Context,
    community: Community,
    *,
    role: Role | None,
    skill: str | None,
    status: MembershipStatus,
    first: int | None,
    after: str | None,
) -> Page[Membership]:
    await require_inside_view(ctx, community)
    if status != MembershipStatus.ACTIVE:
        await require_role(ctx, community, MANAGING_ROLES, "list pending or banned members")
    query: QuerySet[Membership] = Membership.filter(community_id=community.id, status=status)
    if role is not None:
        query = query.filter(role=role)
    if skill:
        wanted = normalise_labels([skill], "skill", max_count=1)[0]
        query = query.filter(member__skill_rows__skill=wanted)
    return await paginate(query, ("joined_at", "id"), first=first, after=after)


async def list_memberships_of(
    ctx: Context, member_id: int, *, first: int | None, after: str | None, include_pending: bool = False
) -> Page[Membership]:
    """A member's active memberships, without the private communities hidden from the viewer; with their
    requests waiting for approval too when they ask for their own (anyone else's: FORBIDDEN)."""
    statuses = [MembershipStatus.ACTIVE]
    if include_pending:
        if ctx.viewer_id != member_id:
            raise Forbidden("Only the member sees their own pending requests.", field="includePending")
        statuses.append(MembershipStatus.PENDING)
    # A pending request is to a community the requester may know of, private ones included.
    visible = visible_communities(ctx.viewer_id, through="community__") | Q(status=MembershipStatus.PENDING)
    query = Membership.filter(visible, member_id=member_id, status__in=statuses)
    return await paginate(query, ("joined_at", "id"), first=first, after=after)
