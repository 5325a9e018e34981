"""Communities, memberships, invitations and roles."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.activity import Activity, Verb
from models.communities import (
    Community,
    Invitation,
    JoinPolicy,
    Level,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from models.notifications import Notification, NotificationKind
from resolvers.access import (
    MANAGING_ROLES,
    has_role,
    is_active,
    require_inside_view,
    viewer_membership,
    visible_communities,
    visible_community,
)
from resolvers.activity import append_activity, notify_activity
from resolvers.communities.access_changes import announce_access_change
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound
from resolvers.idempotency import mark_applied
from resolvers.ids import pk_of
from resolvers.notifications.notifications import notify
from resolvers.outbox import queue, writing
from resolvers.pagination import Page, paginate
from resolvers.ratelimit import check_rate
from resolvers.recognition.levels import at_least
from resolvers.validation import (
    SLUG_RE,
    check_line,
    check_text,
    normalise_labels,
    optional_text,
    slugify,
    username_for_lookup,
)
from resolvers.welcome.welcome import welcome_newcomer

M = TypeVar("M", bound=Model)

MAX_DESCRIPTION = 5000
# Concurrent creations with one name each take the next free derived slug; a few tries suffice.
SLUG_ATTEMPTS = 5
# What secrets.token_urlsafe makes; anything else is not a code and is not looked up.
INVITE_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}\Z")


def forget(loader: DataLoader, *keys: Any) -> None:
    """Drop what a request's loader holds for these keys, after a write changed them
    (`DataLoader.clear` raises KeyError for a key it never loaded)."""
    for key in keys:
        if loader.cache_map.get(key) is not None:
            loader.clear(key)


async def _community_row(slug: str) -> Community | None:
    """The community with this slug whoever asks; a malformed slug is never sent to the database."""
    slug = slug.strip().lower()
    return await Community.get_or_none(slug=slug) if SLUG_RE.match(slug) else None


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


async def require_role(ctx: Context, community: Community, roles: set[Role], action: str) -> Membership:
    await ctx.require_viewer()
    membership = await viewer_membership(ctx, community.id)
    if not has_role(membership, roles):
        raise Forbidden(f"Only {' or '.join(sorted(r.value.lower() + 's' for r in roles))} can {action}.")
    return membership  # type: ignore[return-value]


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


async def require_visible_row(ctx: Context, model: type[M], global_id: str, field: str) -> tuple[M, Community]:
    """A task, an event...: the row and its community, if the viewer may see it (NOT_FOUND otherwise, private
    or not)."""
    type_name = model.__name__
    row = await model.get_or_none(id=pk_of(global_id, type_name, field=field))
    community = await visible_community(ctx, row.community_id) if row else None  # type: ignore[attr-defined]
    if row is None or community is None:
        raise NotFound(f"No such {type_name.lower()}.", field=field)
    return row, community


async def list_communities(ctx: Context, *, search: str | None, first: int | None, after: str | None) -> Page:
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
) -> Page:
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


async def list_memberships_of(ctx: Context, member_id: int, *, first: int | None, after: str | None) -> Page:
    """A member's active memberships, without the private communities hidden from the viewer."""
    visible = visible_communities(ctx.viewer_id, through="community__")
    query = Membership.filter(visible, member_id=member_id, status=MembershipStatus.ACTIVE)
    return await paginate(query, ("joined_at", "id"), first=first, after=after)


async def do_create_community(
    ctx: Context,
    *,
    name: str,
    slug: str | None,
    description: str | None,
    visibility: Visibility,
    join_policy: JoinPolicy,
) -> Community:
    viewer = await ctx.require_viewer()
    await check_rate(ctx, "mutation")
    name = check_line(name, "name", max_length=100)
    if len(name) < 3:
        raise BadUserInput("'name' must be at least 3 characters.", field="name")
    if visibility == Visibility.PRIVATE and join_policy == JoinPolicy.OPEN:
        # Nobody outside a private community sees it, so nobody could join it openly.
        raise BadUserInput(
            "A PRIVATE community cannot be OPEN: private communities are joined by APPROVAL or INVITE.",
            field="joinPolicy",
        )
    fields = {
        "name": name,
        "description": optional_text(description, "description", max_length=MAX_DESCRIPTION),
        "visibility": visibility,
        "join_policy": join_policy,
    }
    explicit = _check_slug(slug) if slug is not None else None
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        candidate = explicit or await _free_slug(slugify(name))
        try:
            community, activity = await _insert_community(viewer.id, candidate, fields)
        except IntegrityError:
            # A derived slug can be taken between the check and the insert: derive it again.
            if explicit or attempt == SLUG_ATTEMPTS:
                raise Conflict(f"The slug '{candidate}' is taken.", field="slug") from None
            continue
        await notify_activity([activity])
        return community
    raise AssertionError("unreachable")


def _check_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise BadUserInput("'slug' must be 3-50 characters of a-z, 0-9 and '-'.", field="slug")
    return slug


async def _insert_community(owner_id: int, slug: str, fields: dict) -> tuple[Community, Activity]:
    """The community and its owner's membership, in one transaction."""
    async with in_transaction() as conn:
        community = await Community.create(using_db=conn, slug=slug, created_by_id=owner_id, **fields)
        membership = await Membership.create(
            using_db=conn,
            member_id=owner_id,
            community_id=community.id,
            role=Role.OWNER,
            status=MembershipStatus.ACTIVE,
        )
        joined = await _joined(conn, membership)
        await mark_applied(conn)
        return community, joined


async def _free_slug(base: str) -> str:
    """A derived slug that is not yet taken: the name's, else with a number after it."""
    base = (base or "community").ljust(3, "0")[:44].strip("-")
    taken = set(await Community.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


async def _joined(conn, membership: Membership) -> Activity:  # noqa: ANN001
    return await append_activity(
        conn,
        community_id=membership.community_id,
        actor_id=membership.member_id,
        verb=Verb.JOINED,
        subject_type="membership",
        subject_id=membership.id,
    )


async def _became_active(conn, membership: Membership) -> list[Activity]:  # noqa: ANN001
    """A join or an approval: JOINED, then the newcomer's welcome (once per member and community)."""
    return [await _joined(conn, membership), *await welcome_newcomer(conn, membership)]


async def do_create_invitation(
    ctx: Context, community_slug: str, *, max_uses: int | None, expires_in_hours: int | None
) -> Invitation:
    community = await require_community(ctx, community_slug)
    viewer = await require_role(ctx, community, MANAGING_ROLES, "invite members")
    await check_rate(ctx, "mutation")
    if max_uses is not None and not 1 <= max_uses <= 10_000:
        raise BadUserInput("'maxUses' must be between 1 and 10000.", field="maxUses")
    if expires_in_hours is not None and not 1 <= expires_in_hours <= 24 * 365:
        raise BadUserInput("'expiresInHours' must be between 1 and 8760.", field="expiresInHours")
    expires_at = datetime.now(UTC) + timedelta(hours=expires_in_hours) if expires_in_hours else None
    async with writing() as conn:
        return await Invitation.create(
            using_db=conn,
            community_id=community.id,
            code=secrets.token_urlsafe(12),
            created_by_id=viewer.member_id,
            max_uses=max_uses,
            expires_at=expires_at,
        )


async def do_join_community(ctx: Context, slug: str, invite_code: str | None) -> Membership:
    viewer = await ctx.require_viewer()
    await check_rate(ctx, "mutation")
    community = await _community_row(slug)
    existing = await Membership.get_or_none(member_id=viewer.id, community_id=community.id) if community else None
    _check_not_member(existing)
    invitation = await _usable_invitation(community, invite_code)
    if invite_code and invitation is None:
        # Whatever the policy, and even for an absent community: the same answer for every
        # bad code, so a wrong code does not tell which private slugs exist.
        raise BadUserInput("This invitation code is invalid, used up or expired.", field="inviteCode")
    if community is None or (invitation is None and _hidden_without_invitation(community, existing)):
        raise NotFound(f"No community '{slug[:50]}'.", field="slug")
    if invitation is None and community.join_policy == JoinPolicy.INVITE:
        raise Forbidden("This community is joined by invitation only: an 'inviteCode' is needed.")
    status = (
        MembershipStatus.PENDING
        if invitation is None and community.join_policy == JoinPolicy.APPROVAL
        else MembershipStatus.ACTIVE
    )
    async with writing() as conn:
        if invitation is not None and not await _use_invitation(conn, invitation):
            raise BadUserInput("This invitation code was used up just now.", field="inviteCode")
        if existing:  # a rejected request, asked again: once, however many ask at the same time
            now = datetime.now(UTC)
            changed = (
                await Membership.filter(id=existing.id, status=MembershipStatus.REJECTED)
                .using_db(conn)
                .update(status=status, joined_at=now)
            )
            if not changed:
                raise Conflict("You asked to join this community just now.")
            existing.status, existing.joined_at = status, now
            membership = existing
        else:
            try:
                membership = await Membership.create(
                    using_db=conn, member_id=viewer.id, community_id=community.id, status=status
                )
            except IntegrityError:
                raise Conflict("You joined this community just now.") from None
        if status == MembershipStatus.ACTIVE:
            activities, notifications = await _became_active(conn, membership), []
        else:
            activities, notifications = [], await _tell_managers_of_request(conn, community, membership)
        queue(*activities, *notifications)
    _forget_membership(ctx, membership)
    return membership


async def _tell_managers_of_request(conn, community: Community, membership: Membership) -> list[Notification]:  # noqa: ANN001
    managers = (
        await Membership.filter(community_id=community.id, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES)
        .using_db(conn)
        .values_list("member_id", flat=True)
    )
    return await notify(
        conn,
        dict.fromkeys(managers, NotificationKind.MEMBERSHIP_REQUESTED),
        actor_id=membership.member_id,
        community_id=community.id,
        subject_type="membership",
        subject_id=membership.id,
        payload={"community": community.name},
    )


def _forget_membership(ctx: Context, membership: Membership) -> None:
    """After a membership changed: what the request's loaders hold about it is stale."""
    forget(ctx.loaders.membership_by_id, membership.id)
    forget(ctx.loaders.member_count_by_community_id, membership.community_id)
    if membership.member_id == ctx.viewer_id:
        forget(ctx.loaders.viewer_membership_by_community_id, membership.community_id)


def _check_not_member(existing: Membership | None) -> None:
    """Banned members stay out; active and pending ones have nothing to join."""
    if existing and existing.status == MembershipStatus.BANNED:
        raise Forbidden("You are banned from this community.")
    if existing and existing.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise Conflict(f"You are already {existing.status.value.lower()} in this community.")


def _hidden_without_invitation(community: Community, existing: Membership | None) -> bool:
    """A private community only shows itself to people who may ask to join or asked before."""
    return (
        community.visibility == Visibility.PRIVATE and community.join_policy != JoinPolicy.APPROVAL and existing is None
    )


async def _usable_invitation(community: Community | None, code: str | None) -> Invitation | None:
    if community is None or not code or not INVITE_CODE_RE.match(code.strip()):
        return None
    invitation = await Invitation.get_or_none(code=code.strip(), community_id=community.id)
    if invitation is None:
        return None
    if invitation.expires_at and invitation.expires_at <= datetime.now(UTC):
        return None
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return None
    return invitation


async def _use_invitation(conn, invitation: Invitation) -> bool:  # noqa: ANN001
    """Count one use, unless concurrent joins used it up first."""
    query = Invitation.filter(id=invitation.id).using_db(conn)
    if invitation.max_uses is not None:
        query = query.filter(uses__lt=invitation.max_uses)
    return await query.update(uses=F("uses") + 1) == 1


async def do_decide_membership(ctx: Context, membership_id: str, approve: bool) -> Membership:
    await ctx.require_viewer()
    pk = pk_of(membership_id, "Membership", field="membershipId")
    membership = await ctx.loaders.membership_by_id.load(pk)  # skips pks no row can have (2**40)
    community = await visible_community(ctx, membership.community_id) if membership else None
    if community is None:  # absent, or in a private community hidden from the viewer
        raise NotFound("No such membership request.", field="membershipId")
    decider = await viewer_membership(ctx, community.id)
    if not (has_role(decider, MANAGING_ROLES) or (approve and is_active(decider) and at_least(decider, Level.REGULAR))):
        raise Forbidden("Owners and managers decide membership requests; members from level REGULAR may approve them.")
    await check_rate(ctx, "mutation")
    async with writing() as conn:
        # Conditional update: two managers deciding at once cannot both win.
        new_status = MembershipStatus.ACTIVE if approve else MembershipStatus.REJECTED
        changed = (
            await Membership.filter(id=pk, status=MembershipStatus.PENDING)
            .using_db(conn)
            .update(status=new_status, joined_at=datetime.now(UTC))
        )
        if not changed:
            raise Conflict("This membership is not pending any more.", field="membershipId")
        membership = await Membership.get(id=pk).using_db(conn)
        activities = await _became_active(conn, membership) if approve else []
        kind = NotificationKind.MEMBERSHIP_APPROVED if approve else NotificationKind.MEMBERSHIP_REJECTED
        notifications = await notify(
            conn,
            {membership.member_id: kind},
            actor_id=ctx.viewer_id,
            community_id=community.id,
            subject_type="membership",
            subject_id=membership.id,
            payload={"community": community.name},
        )
        queue(*activities, *notifications)
    _forget_membership(ctx, membership)
    return membership


async def do_set_role(ctx: Context, community_slug: str, username: str, role: Role) -> Membership:
    community = await require_community(ctx, community_slug)
    actor = await require_role(ctx, community, MANAGING_ROLES, "change roles")
    await check_rate(ctx, "mutation")
    target = await active_member_named(community, username)
    if not _may_set_role(actor.role, target.role, role):
        raise Forbidden("Only owners can grant the owner role or change owners' and managers' roles.")
    async with writing() as conn:
        # The checks above read outside this transaction: check the actor again under lock,
        # and change the target only as it was checked (still active, same role).
        if target.role == Role.OWNER and role != Role.OWNER:
            await _lock_owners_keeping_one(conn, community, actor)
        else:
            await _lock_actor_and_target(conn, actor, target, role)
        changed = (
            await Membership.filter(id=target.id, status=MembershipStatus.ACTIVE, role=target.role)
            .using_db(conn)
            .update(role=role)
        )
        if not changed:
            raise Conflict(f"The membership of '{username[:30]}' changed just now: look again.", field="username")
        target.role = role
        await announce_access_change(conn, target)  # a manager made a member loses the manager's feeds
    _forget_membership(ctx, target)
    return target


def _may_set_role(actor_role: Role, target_role: Role, role: Role) -> bool:
    if actor_role not in MANAGING_ROLES:
        return False
    return actor_role == Role.OWNER or (role != Role.OWNER and target_role not in (Role.OWNER, Role.MANAGER))


async def _lock_actor_and_target(conn, actor: Membership, target: Membership, role: Role) -> None:  # noqa: ANN001
    """Lock both rows (in id order, as the owners' lock does, so lockers cannot deadlock) and
    check that the actor, as they are now, may still give the target this role."""
    rows = await Membership.filter(id__in={actor.id, target.id}).using_db(conn).select_for_update().order_by("id")
    now = next((row for row in rows if row.id == actor.id), None)
    if now is None or now.status != MembershipStatus.ACTIVE or not _may_set_role(now.role, target.role, role):
        raise Forbidden("Your role in this community changed just now: you can no longer change this role.")


async def _lock_owners_keeping_one(conn, community: Community, actor: Membership) -> None:  # noqa: ANN001
    """Before an owner is demoted: lock the owners' rows, so two owners demoting each other
    at once run one after the other and cannot leave the community without an owner."""
    # Whole rows, in id order: `values_list` would silently drop FOR UPDATE, and a fixed
    # order keeps concurrent lockers from deadlocking.
    owners = await (
        Membership.filter(community_id=community.id, role=Role.OWNER, status=MembershipStatus.ACTIVE)
        .using_db(conn)
        .select_for_update()
        .order_by("id")
    )
    if actor.id not in {owner.id for owner in owners}:  # demoted while this request waited
        raise Forbidden("You are no longer an owner of this community.")
    if len(owners) <= 1:
        raise Conflict("A community needs at least one owner: make someone else owner first.")
