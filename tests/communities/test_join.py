"""joinCommunity, invitations and decideMembership through the GraphQL API."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from models.activity import Activity, Verb
from models.communities import Community, Invitation, Membership, MembershipStatus, Role, Visibility
from resolvers.ids import to_global_id
from tests.communities.helpers import (
    COMMUNITY,
    CREATE_INVITATION,
    DECIDE,
    JOIN,
    approval_community,
    invite_code,
    invite_community,
)
from tests.factories import Persona, make_member

MEMBER_COUNT = "query C($slug: String!) { community(slug: $slug) { memberCount } }"


async def member_count(gql, community: Community, token: str) -> int:
    return (await gql.data(MEMBER_COUNT, {"slug": community.slug}, token=token))["community"]["memberCount"]


async def promote(community: Community, persona: Persona, role: Role) -> None:
    await Membership.filter(community_id=community.id, member_id=persona.member.id).update(role=role)


async def test_joining_an_open_community_makes_an_active_member(
    gql, public_community: Community, outsider_mallory: Persona
):
    # given / when
    data = await gql.data(JOIN, {"slug": "Python-Paris"}, token=outsider_mallory.token)
    # then
    assert data["joinCommunity"]["status"] == "ACTIVE"
    assert data["joinCommunity"]["role"] == "MEMBER"
    assert data["joinCommunity"]["member"] == {"username": "mallory"}
    assert await member_count(gql, public_community, outsider_mallory.token) == 3


async def test_joining_an_approval_community_waits_as_pending(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice)
    # when
    data = await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token)
    # then
    assert data["joinCommunity"]["status"] == "PENDING"
    assert await member_count(gql, community, member_bob.token) == 1
    viewer = await gql.data(COMMUNITY, {"slug": community.slug}, token=member_bob.token)
    assert viewer["community"]["viewerMembership"] == {"role": "MEMBER", "status": "PENDING"}


async def test_owner_approves_a_pending_request(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    # when
    data = await gql.data(DECIDE, {"id": request["id"], "approve": True}, token=owner_alice.token)
    # then
    assert data["decideMembership"]["status"] == "ACTIVE"
    assert data["decideMembership"]["id"] == request["id"]
    assert await member_count(gql, community, owner_alice.token) == 2


async def test_rejected_request_is_rejected_and_may_ask_again(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    # when
    rejected = await gql.data(DECIDE, {"id": request["id"], "approve": False}, token=owner_alice.token)
    again = await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token)
    # then
    assert rejected["decideMembership"]["status"] == "REJECTED"
    assert again["joinCommunity"]["status"] == "PENDING"
    assert await member_count(gql, community, owner_alice.token) == 1


async def test_a_request_is_decided_only_once(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    await gql.data(DECIDE, {"id": request["id"], "approve": True}, token=owner_alice.token)
    # when
    error = await gql.error(DECIDE, {"id": request["id"], "approve": False}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "CONFLICT", "field": "membershipId"}
    assert (await Membership.get(member_id=member_bob.member.id)).status == MembershipStatus.ACTIVE


async def test_manager_can_decide_membership(gql, owner_alice: Persona, member_bob: Persona, outsider_mallory):
    # given
    community = await approval_community(owner_alice)
    await Membership.create(member_id=member_bob.member.id, community_id=community.id, role=Role.MANAGER)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=outsider_mallory.token))["joinCommunity"]
    # when
    data = await gql.data(DECIDE, {"id": request["id"], "approve": True}, token=member_bob.token)
    # then
    assert data["decideMembership"]["status"] == "ACTIVE"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
async def test_members_and_moderators_cannot_decide_membership(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, role: Role
):
    # given
    community = await approval_community(owner_alice)
    await Membership.create(member_id=member_bob.member.id, community_id=community.id, role=role)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=outsider_mallory.token))["joinCommunity"]
    # when
    error = await gql.error(DECIDE, {"id": request["id"], "approve": True}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await Membership.get(member_id=outsider_mallory.member.id)).status == MembershipStatus.PENDING


async def test_requester_cannot_approve_their_own_request(gql, owner_alice: Persona, outsider_mallory: Persona):
    # given
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=outsider_mallory.token))["joinCommunity"]
    # when
    error = await gql.error(DECIDE, {"id": request["id"], "approve": True}, token=outsider_mallory.token)
    anonymous = await gql.error(DECIDE, {"id": request["id"], "approve": True})
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def test_deciding_a_never_issued_id_is_not_found(gql, owner_alice: Persona):
    # given / when
    error = await gql.error(DECIDE, {"id": to_global_id("Membership", 2**40), "approve": True}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "membershipId"}


async def test_outsider_deciding_a_private_request_is_not_found(
    gql, owner_alice: Persona, member_bob, outsider_mallory
):
    # given: a request to a private community, which mallory cannot see
    community = await approval_community(owner_alice, visibility=Visibility.PRIVATE)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    # when
    error = await gql.error(DECIDE, {"id": request["id"], "approve": True}, token=outsider_mallory.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "membershipId"}
    assert (await Membership.get(member_id=member_bob.member.id)).status == MembershipStatus.PENDING


async def test_owner_approves_a_request_to_a_private_community(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice, visibility=Visibility.PRIVATE)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    # when
    data = await gql.data(DECIDE, {"id": request["id"], "approve": True}, token=owner_alice.token)
    # then
    assert data["decideMembership"]["status"] == "ACTIVE"
    assert (await gql.data(COMMUNITY, {"slug": community.slug}, token=member_bob.token))["community"] is not None


async def test_deciding_with_a_bad_id_is_bad_user_input(gql, owner_alice: Persona):
    # given / when
    error = await gql.error(DECIDE, {"id": "not-an-id", "approve": True}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "membershipId"}


async def test_joining_an_invite_community_without_a_code_is_forbidden(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await invite_community(owner_alice)
    # when
    error = await gql.error(JOIN, {"slug": community.slug}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "inviteCode" in error["message"]
    assert not await Membership.filter(member_id=member_bob.member.id).exists()


async def test_joining_with_an_invitation_code_makes_an_active_member(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await invite_community(owner_alice)
    code = await invite_code(gql, owner_alice, community, max_uses=5)
    # when
    data = await gql.data(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # then
    assert data["joinCommunity"]["status"] == "ACTIVE"
    assert (await Invitation.get(code=code)).uses == 1


async def test_used_up_invitation_is_rejected(gql, owner_alice: Persona, member_bob: Persona, outsider_mallory):
    # given
    community = await invite_community(owner_alice)
    code = await invite_code(gql, owner_alice, community, max_uses=1)
    await gql.data(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # when
    error = await gql.error(JOIN, {"slug": community.slug, "code": code}, token=outsider_mallory.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "inviteCode"}
    assert not await Membership.filter(member_id=outsider_mallory.member.id).exists()


async def test_expired_invitation_is_rejected(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await invite_community(owner_alice)
    code = await invite_code(gql, owner_alice, community, hours=1)
    await Invitation.filter(code=code).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    # when
    error = await gql.error(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "inviteCode"}
    assert (await Invitation.get(code=code)).uses == 0


async def test_invitation_that_has_not_expired_yet_works(gql, owner_alice: Persona, member_bob: Persona):
    # given: the expired-invitation test's set-up, one minute on the other side
    community = await invite_community(owner_alice)
    code = await invite_code(gql, owner_alice, community, hours=1)
    await Invitation.filter(code=code).update(expires_at=datetime.now(UTC) + timedelta(minutes=1))
    # when
    data = await gql.data(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # then
    assert data["joinCommunity"]["status"] == "ACTIVE"


@pytest.mark.parametrize("code", ["no-such-code", "x" * 10_000])
async def test_unknown_invitation_code_is_rejected(gql, owner_alice: Persona, member_bob: Persona, code: str):
    # given
    community = await invite_community(owner_alice)
    # when
    error = await gql.error(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "inviteCode"}


async def test_code_of_another_community_is_rejected(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    community = await invite_community(owner_alice)
    other_code = await invite_code(gql, owner_alice, public_community)
    # when
    error = await gql.error(JOIN, {"slug": community.slug, "code": other_code}, token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "inviteCode"}


async def test_invalid_code_for_an_approval_community_is_an_error_not_a_silent_request(
    gql, owner_alice: Persona, member_bob: Persona
):
    # given
    community = await approval_community(owner_alice)
    # when
    error = await gql.error(JOIN, {"slug": community.slug, "code": "no-such-code"}, token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "inviteCode"}
    assert not await Membership.filter(member_id=member_bob.member.id).exists()


async def test_invitation_lets_people_skip_approval(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice)
    code = await invite_code(gql, owner_alice, community)
    # when
    data = await gql.data(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # then
    assert data["joinCommunity"]["status"] == "ACTIVE"


async def test_joining_again_is_a_conflict(gql, public_community: Community, member_bob: Persona):
    # given: bob is an active member
    # when
    error = await gql.error(JOIN, {"slug": public_community.slug}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "CONFLICT"
    assert await Membership.filter(member_id=member_bob.member.id).count() == 1


async def test_asking_again_while_pending_is_a_conflict(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice)
    await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token)
    # when
    error = await gql.error(JOIN, {"slug": community.slug}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "CONFLICT"


async def test_member_of_a_private_community_joining_again_is_a_conflict(
    gql, private_community: Community, member_bob: Persona
):
    # given: bob is an active member of the private, invite-only community
    # when
    error = await gql.error(JOIN, {"slug": private_community.slug}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "CONFLICT"


async def test_joining_an_unknown_community_is_not_found(gql, member_bob: Persona):
    # given / when
    error = await gql.error(JOIN, {"slug": "nowhere"}, token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "slug"}


async def test_anonymous_cannot_join(gql, public_community: Community):
    # given / when
    error = await gql.error(JOIN, {"slug": public_community.slug})
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_manager_can_create_an_invitation(gql, public_community: Community, member_bob: Persona):
    # given
    await promote(public_community, member_bob, Role.MANAGER)
    # when
    data = await gql.data(CREATE_INVITATION, {"slug": public_community.slug, "maxUses": 3}, token=member_bob.token)
    # then
    assert data["createInvitation"]["maxUses"] == 3
    assert data["createInvitation"]["uses"] == 0
    assert len(data["createInvitation"]["code"]) >= 12


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
async def test_members_and_moderators_cannot_create_invitations(
    gql, public_community: Community, member_bob: Persona, role: Role
):
    # given
    await promote(public_community, member_bob, role)
    # when
    error = await gql.error(CREATE_INVITATION, {"slug": public_community.slug}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await Invitation.all().count() == 0


async def test_outsiders_and_anonymous_cannot_create_invitations(
    gql, public_community: Community, outsider_mallory: Persona
):
    # given / when
    outsider = await gql.error(CREATE_INVITATION, {"slug": public_community.slug}, token=outsider_mallory.token)
    anonymous = await gql.error(CREATE_INVITATION, {"slug": public_community.slug})
    # then
    assert outsider["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("variables", "field"),
    [({"maxUses": 0}, "maxUses"), ({"maxUses": -1}, "maxUses"), ({"hours": 0}, "expiresInHours")],
)
async def test_invitation_limits_are_checked(gql, public_community: Community, owner_alice: Persona, variables, field):
    # given / when
    error = await gql.error(CREATE_INVITATION, {"slug": public_community.slug, **variables}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_concurrent_joins_with_a_single_use_code_let_only_one_in(gql, owner_alice: Persona):
    # given
    community = await invite_community(owner_alice)
    code = await invite_code(gql, owner_alice, community, max_uses=1)
    joiners = [await make_member(f"joiner{i}") for i in range(4)]
    # when
    results = await asyncio.gather(
        *(gql.execute(JOIN, {"slug": community.slug, "code": code}, token=p.token) for p in joiners)
    )
    # then
    joined = [r for r in results if "errors" not in r]
    refused = [r["errors"][0]["extensions"] for r in results if "errors" in r]
    assert len(joined) == 1
    assert refused == [{"code": "BAD_USER_INPUT", "field": "inviteCode"}] * 3
    assert (await Invitation.get(code=code)).uses == 1
    assert await Membership.filter(community_id=community.id).count() == 2


async def test_double_join_at_once_makes_one_membership(gql, public_community: Community, outsider_mallory: Persona):
    # given / when
    results = await asyncio.gather(
        *(gql.execute(JOIN, {"slug": public_community.slug}, token=outsider_mallory.token) for _ in range(3))
    )
    # then
    assert sum("errors" not in r for r in results) == 1
    assert {r["errors"][0]["extensions"]["code"] for r in results if "errors" in r} == {"CONFLICT"}
    assert await Membership.filter(member_id=outsider_mallory.member.id).count() == 1


async def test_two_managers_deciding_at_once_decide_once(gql, owner_alice: Persona, member_bob, outsider_mallory):
    # given
    community = await approval_community(owner_alice)
    await Membership.create(member_id=member_bob.member.id, community_id=community.id, role=Role.MANAGER)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=outsider_mallory.token))["joinCommunity"]
    # when
    results = await asyncio.gather(
        gql.execute(DECIDE, {"id": request["id"], "approve": True}, token=owner_alice.token),
        gql.execute(DECIDE, {"id": request["id"], "approve": False}, token=member_bob.token),
    )
    # then
    winners = [r for r in results if "errors" not in r]
    assert len(winners) == 1
    assert [r["errors"][0]["extensions"]["code"] for r in results if "errors" in r] == ["CONFLICT"]
    status = (await Membership.get(member_id=outsider_mallory.member.id)).status.value
    assert status == winners[0]["data"]["decideMembership"]["status"]


async def test_asking_again_twice_at_once_after_a_rejection_joins_once(gql, owner_alice: Persona, member_bob: Persona):
    # given: bob was rejected, then got an invitation code
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    await gql.data(DECIDE, {"id": request["id"], "approve": False}, token=owner_alice.token)
    code = await invite_code(gql, owner_alice, community)
    # when
    results = await asyncio.gather(
        *(gql.execute(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token) for _ in range(3))
    )
    # then
    assert sum("errors" not in r for r in results) == 1
    assert {r["errors"][0]["extensions"]["code"] for r in results if "errors" in r} == {"CONFLICT"}
    assert (await Invitation.get(code=code)).uses == 1
    joined = Activity.filter(community_id=community.id, verb=Verb.JOINED, actor_id=member_bob.member.id)
    assert await joined.count() == 1
    welcomed = Activity.filter(community_id=community.id, verb=Verb.WELCOMED, actor_id=member_bob.member.id)
    assert await welcomed.count() == 1
    assert (await Membership.get(member_id=member_bob.member.id)).status == MembershipStatus.ACTIVE


DECIDE_TWO = """
mutation DecideTwo($first: ID!, $second: ID!) {
  a: decideMembership(membershipId: $first, approve: true) { community { memberCount } }
  b: decideMembership(membershipId: $second, approve: true) { community { memberCount } }
}
"""


async def test_decisions_in_one_request_each_count_the_ones_before(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given
    community = await approval_community(owner_alice)
    requests = [
        (await gql.data(JOIN, {"slug": community.slug}, token=p.token))["joinCommunity"]["id"]
        for p in (member_bob, outsider_mallory)
    ]
    # when
    data = await gql.data(DECIDE_TWO, {"first": requests[0], "second": requests[1]}, token=owner_alice.token)
    # then
    assert [data["a"]["community"]["memberCount"], data["b"]["community"]["memberCount"]] == [2, 3]
