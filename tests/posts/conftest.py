"""Shared set-up for the content tests: a moderator persona and activity helpers."""

from __future__ import annotations

import pytest

from models.activity import Activity, Verb
from models.communities import Community, Membership, MembershipStatus, Role
from models.posts import Post, PostTag
from resolvers.communities.roles import do_set_role
from tests.factories import Persona, join, make_member

# The verbs content writes append themselves (a join appends JOINED, then WELCOMED
# the first time). Engagement rules may append more (badges, levels) after them,
# so tests compare these and check density apart.
CONTENT_VERBS = {Verb.JOINED, Verb.WELCOMED, Verb.POSTED, Verb.COMMENTED, Verb.REACTED, Verb.ANSWER_ACCEPTED}


@pytest.fixture
async def moderator_carol(owner_alice: Persona, public_community: Community) -> Persona:
    carol = await make_member("carol", display_name="Carol")
    await join(carol, public_community)
    await do_set_role(owner_alice.ctx, public_community.slug, carol.username, Role.MODERATOR)
    return carol


async def activity_log(community: Community) -> list[tuple[int, str]]:
    """(seq, verb) of all of a community's activity, in sequence order."""
    rows = await Activity.filter(community_id=community.id).order_by("seq").values_list("seq", "verb")
    return [(seq, str(verb)) for seq, verb in rows]


async def written(community: Community) -> tuple[list, list, list]:
    """Every post and tag row, and the community's activity, to compare before and after what must write nothing.

    Joining already wrote an INTRODUCTION post, so "nothing written" means "the same as before".
    """
    return (
        await Post.all().order_by("id").values_list("id", "community_id", "kind", "status", "title"),
        await PostTag.all().order_by("post_id", "position").values_list("post_id", "tag"),
        await activity_log(community),
    )


async def content_verbs(community: Community) -> list[str]:
    """The content verbs of a community's activity, in sequence order; asserts the sequence is dense."""
    log = await activity_log(community)
    assert [seq for seq, _ in log] == list(range(1, len(log) + 1)), f"sequence with gaps: {log}"
    return [verb for _, verb in log if verb in CONTENT_VERBS]


async def ban(persona: Persona, community: Community) -> None:
    """Ban directly: there is no ban mutation yet, and the status is what the checks read."""
    await Membership.filter(member_id=persona.member.id, community_id=community.id).update(
        status=MembershipStatus.BANNED
    )
