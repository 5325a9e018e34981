"""setRole through the GraphQL API: who may change roles, and a community always keeps an owner."""

from __future__ import annotations

import asyncio

import pytest

from models.communities import Community, Membership, MembershipStatus, Role
from resolvers.communities import roles
from tests.communities.helpers import SET_ROLE
from tests.factories import Persona, join, make_member


async def role_of(community: Community, persona: Persona) -> Role:
    return (await Membership.get(community_id=community.id, member_id=persona.member.id)).role


async def set_role_directly(community: Community, persona: Persona, role: Role) -> None:
    await Membership.filter(community_id=community.id, member_id=persona.member.id).update(role=role)


def variables(community: Community, persona: Persona, role: str) -> dict:
    return {"slug": community.slug, "username": persona.username, "role": role}


@pytest.mark.parametrize("role", ["MANAGER", "MODERATOR", "OWNER"])
async def test_owner_can_grant_any_role(gql, public_community: Community, owner_alice: Persona, member_bob, role: str):
    # given / when
    data = await gql.data(SET_ROLE, variables(public_community, member_bob, role), token=owner_alice.token)
    # then
    assert data["setRole"] == {"role": role, "status": "ACTIVE", "member": {"username": "bob"}}
    assert await role_of(public_community, member_bob) == Role(role)


async def test_manager_can_make_a_member_moderator(gql, public_community: Community, member_bob, outsider_mallory):
    # given
    await set_role_directly(public_community, member_bob, Role.MANAGER)
    await join(outsider_mallory, public_community)
    # when
    data = await gql.data(SET_ROLE, variables(public_community, outsider_mallory, "MODERATOR"), token=member_bob.token)
    # then
    assert data["setRole"]["role"] == "MODERATOR"


async def test_manager_cannot_grant_owner(gql, public_community: Community, member_bob, outsider_mallory):
    # given
    await set_role_directly(public_community, member_bob, Role.MANAGER)
    await join(outsider_mallory, public_community)
    # when
    other = await gql.error(SET_ROLE, variables(public_community, outsider_mallory, "OWNER"), token=member_bob.token)
    self_ = await gql.error(SET_ROLE, variables(public_community, member_bob, "OWNER"), token=member_bob.token)
    # then
    assert other["extensions"]["code"] == self_["extensions"]["code"] == "FORBIDDEN"
    assert await role_of(public_community, outsider_mallory) == Role.MEMBER
    assert await role_of(public_community, member_bob) == Role.MANAGER


async def test_manager_cannot_demote_the_owner(gql, public_community: Community, owner_alice: Persona, member_bob):
    # given
    await set_role_directly(public_community, member_bob, Role.MANAGER)
    # when
    error = await gql.error(SET_ROLE, variables(public_community, owner_alice, "MEMBER"), token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await role_of(public_community, owner_alice) == Role.OWNER


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
async def test_members_and_moderators_cannot_change_roles(
    gql, public_community: Community, member_bob: Persona, outsider_mallory: Persona, role: Role
):
    # given
    await set_role_directly(public_community, member_bob, role)
    await join(outsider_mallory, public_community)
    # when
    error = await gql.error(SET_ROLE, variables(public_community, member_bob, "MANAGER"), token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await role_of(public_community, member_bob) == role


async def test_outsiders_and_anonymous_cannot_change_roles(
    gql, public_community: Community, member_bob, outsider_mallory
):
    # given / when
    outsider = await gql.error(SET_ROLE, variables(public_community, member_bob, "OWNER"), token=outsider_mallory.token)
    anonymous = await gql.error(SET_ROLE, variables(public_community, member_bob, "OWNER"))
    # then
    assert outsider["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert await role_of(public_community, member_bob) == Role.MEMBER


async def test_setting_the_role_of_a_non_member_is_not_found(
    gql, public_community: Community, owner_alice, outsider_mallory
):
    # given / when
    error = await gql.error(SET_ROLE, variables(public_community, outsider_mallory, "MANAGER"), token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "username"}


async def test_the_last_owner_cannot_step_down(gql, public_community: Community, owner_alice: Persona):
    # given: alice is the only owner
    # when
    error = await gql.error(SET_ROLE, variables(public_community, owner_alice, "MANAGER"), token=owner_alice.token)
    # then
    assert error["extensions"]["code"] == "CONFLICT"
    assert "owner" in error["message"]
    assert await role_of(public_community, owner_alice) == Role.OWNER


async def test_two_owners_can_step_down_only_while_another_remains(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona
):
    # given
    await gql.data(SET_ROLE, variables(public_community, member_bob, "OWNER"), token=owner_alice.token)
    # when
    first = await gql.execute(SET_ROLE, variables(public_community, owner_alice, "MEMBER"), token=owner_alice.token)
    second = await gql.error(SET_ROLE, variables(public_community, member_bob, "MEMBER"), token=member_bob.token)
    # then
    assert first["data"]["setRole"]["role"] == "MEMBER"
    assert second["extensions"]["code"] == "CONFLICT"
    assert await role_of(public_community, member_bob) == Role.OWNER


async def test_owner_demoted_by_another_owner_loses_owner_rights(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona
):
    # given
    await gql.data(SET_ROLE, variables(public_community, member_bob, "OWNER"), token=owner_alice.token)
    await gql.data(SET_ROLE, variables(public_community, owner_alice, "MEMBER"), token=member_bob.token)
    # when
    error = await gql.error(SET_ROLE, variables(public_community, member_bob, "MEMBER"), token=owner_alice.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_two_owners_stepping_down_at_once_leave_one_owner(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona
):
    # given
    await gql.data(SET_ROLE, variables(public_community, member_bob, "OWNER"), token=owner_alice.token)
    # when: each demotes the other at the same time
    results = await asyncio.gather(
        gql.execute(SET_ROLE, variables(public_community, member_bob, "MEMBER"), token=owner_alice.token),
        gql.execute(SET_ROLE, variables(public_community, owner_alice, "MEMBER"), token=member_bob.token),
    )
    # then
    assert sum("errors" not in r for r in results) == 1
    assert [r["errors"][0]["extensions"]["code"] for r in results if "errors" in r] == ["FORBIDDEN"]
    assert await Membership.filter(community_id=public_community.id, role=Role.OWNER).count() == 1


async def test_many_owners_demoting_each_other_at_once_keep_an_owner(gql, public_community: Community, owner_alice):
    # given: five owners
    owners = [owner_alice] + [await make_member(f"owner{i}") for i in range(4)]
    for persona in owners[1:]:
        await join(persona, public_community)
        await set_role_directly(public_community, persona, Role.OWNER)
    # when: each demotes the next one at once
    results = await asyncio.gather(
        *(
            gql.execute(SET_ROLE, variables(public_community, owners[(i + 1) % 5], "MEMBER"), token=p.token)
            for i, p in enumerate(owners)
        )
    )
    # then: the demotions run one after the other, and only the request before in the ring demotes a request's
    # owner. So a request is refused exactly when that one went through first: the first to run goes through,
    # the next in the ring is refused as no longer an owner, and no two neighbours are refused.
    codes = [result["errors"][0]["extensions"]["code"] if "errors" in result else None for result in results]
    refused = [i for i, code in enumerate(codes) if code is not None]
    assert refused and all(codes[i] == "FORBIDDEN" and codes[i - 1] is None for i in refused), codes
    for i in set(range(5)) - set(refused):
        demoted = owners[(i + 1) % 5]
        assert results[i]["data"]["setRole"] == {
            "role": "MEMBER",
            "status": "ACTIVE",
            "member": {"username": demoted.username},
        }
    assert await Membership.filter(community_id=public_community.id, role=Role.OWNER).count() >= 1
    owners_left = await Membership.filter(community_id=public_community.id, role=Role.OWNER).values_list(
        "member_id", flat=True
    )
    assert set(owners_left) == {owners[(i + 1) % 5].member.id for i in refused}


STEP_DOWN = """
mutation StepDown($slug: String!, $me: String!) {
  setRole(communitySlug: $slug, username: $me, role: MEMBER) { role community { viewerMembership { role } } }
}
"""
STEP_DOWN_THEN_PROMOTE = """
mutation StepDownThenPromote($slug: String!, $me: String!, $other: String!) {
  a: setRole(communitySlug: $slug, username: $me, role: MEMBER) { role }
  b: setRole(communitySlug: $slug, username: $other, role: MODERATOR) { role }
}
"""


async def test_an_owner_who_steps_down_sees_their_new_role(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona
):
    # given: two owners
    await set_role_directly(public_community, member_bob, Role.OWNER)
    # when
    data = await gql.data(STEP_DOWN, {"slug": public_community.slug, "me": "alice"}, token=owner_alice.token)
    # then
    assert data["setRole"] == {"role": "MEMBER", "community": {"viewerMembership": {"role": "MEMBER"}}}


async def test_an_owner_who_stepped_down_cannot_change_roles_later_in_the_same_request(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given: two owners
    await set_role_directly(public_community, member_bob, Role.OWNER)
    await join(outsider_mallory, public_community)
    variables = {"slug": public_community.slug, "me": owner_alice.username, "other": outsider_mallory.username}
    # when
    body = await gql.execute(STEP_DOWN_THEN_PROMOTE, variables, token=owner_alice.token)
    # then
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["b"], "FORBIDDEN")]
    assert await role_of(public_community, owner_alice) == Role.MEMBER
    assert await role_of(public_community, outsider_mallory) == Role.MEMBER


async def test_a_manager_demoted_while_changing_a_role_is_forbidden(
    gql, monkeypatch, public_community: Community, member_bob: Persona, outsider_mallory: Persona
):
    # given: bob is a manager, and is demoted once his role was checked, before the change
    await set_role_directly(public_community, member_bob, Role.MANAGER)
    await join(outsider_mallory, public_community)
    check_rate = roles.check_rate

    async def demoted_meanwhile(ctx, bucket):
        await set_role_directly(public_community, member_bob, Role.MEMBER)
        await check_rate(ctx, bucket)

    monkeypatch.setattr(roles, "check_rate", demoted_meanwhile)
    # when
    promote = variables(public_community, outsider_mallory, "MODERATOR")
    error = await gql.error(SET_ROLE, promote, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await role_of(public_community, outsider_mallory) == Role.MEMBER


async def test_a_member_banned_while_their_role_changes_keeps_their_role(
    gql, monkeypatch, public_community: Community, owner_alice: Persona, member_bob: Persona
):
    # given: bob is banned once found as an active member, before the change
    lock = roles._lock_actor_and_target

    async def banned_meanwhile(conn, actor, target, role):
        await Membership.filter(id=target.id).update(status=MembershipStatus.BANNED)
        await lock(conn, actor, target, role)

    monkeypatch.setattr(roles, "_lock_actor_and_target", banned_meanwhile)
    # when
    error = await gql.error(SET_ROLE, variables(public_community, member_bob, "MODERATOR"), token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "CONFLICT", "field": "username"}
    assert await role_of(public_community, member_bob) == Role.MEMBER
