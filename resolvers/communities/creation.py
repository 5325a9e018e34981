"""Creating a community: its slug, and its owner's membership, in one transaction."""

from __future__ import annotations

from typing import TypedDict, cast

from tortoise.exceptions import IntegrityError

from models.communities import Community, JoinPolicy, Membership, MembershipStatus, Role, Visibility
from resolvers.communities.membership import joined
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict
from resolvers.members.admin import check_may_create_community
from resolvers.outbox import queue, writing
from resolvers.ratelimit import check_rate
from resolvers.validation import SLUG_RE, check_line, optional_text, slugify

MAX_DESCRIPTION = 5000

# Concurrent creations with one name each take the next free derived slug; a few tries suffice.
SLUG_ATTEMPTS = 5


class _Choices(TypedDict):
    """What the creator chose, the same on every try at a free slug."""

    name: str
    description: str | None
    visibility: Visibility
    join_policy: JoinPolicy


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
    check_may_create_community(viewer)
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
    fields: _Choices = {
        "name": name,
        "description": optional_text(description, "description", max_length=MAX_DESCRIPTION),
        "visibility": visibility,
        "join_policy": join_policy,
    }
    explicit = _check_slug(slug) if slug is not None else None
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        candidate = explicit or await _free_slug(slugify(name))
        try:
            return await _insert_community(viewer.id, candidate, fields)
        except IntegrityError:
            # A derived slug can be taken between the check and the insert: derive it again.
            if explicit or attempt == SLUG_ATTEMPTS:
                raise Conflict(f"The slug '{candidate}' is taken.", field="slug") from None
            continue
    raise AssertionError("unreachable")


def _check_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise BadUserInput("'slug' must be 3-50 characters of a-z, 0-9 and '-'.", field="slug")
    return slug


async def _insert_community(owner_id: int, slug: str, fields: _Choices) -> Community:
    """The community and its owner's membership, in one transaction."""
    async with writing() as conn:
        community = await Community.create(using_db=conn, slug=slug, created_by_id=owner_id, **fields)
        membership = await Membership.create(
            using_db=conn,
            member_id=owner_id,
            community_id=community.id,
            role=Role.OWNER,
            status=MembershipStatus.ACTIVE,
        )
        queue(conn, await joined(conn, membership))
    return community


async def _free_slug(base: str) -> str:
    """A derived slug that is not yet taken: the name's, else with a number after it."""
    base = (base or "community").ljust(3, "0")[:44].strip("-")
    taken = set(cast(list[str], await Community.filter(slug__startswith=base).values_list("slug", flat=True)))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)
