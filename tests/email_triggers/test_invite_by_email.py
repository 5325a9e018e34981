"""inviteByEmail: managers mail single-use codes; bad, huge or foreign input is refused, nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.communities import Community, Invitation, Membership, MembershipStatus, Role
from models.email import OutgoingEmail
from tests.communities.helpers import JOIN
from tests.email_triggers.helpers import queued
from tests.factories import Persona, make_community, make_member

INVITE = """
mutation Invite($slug: String!, $emails: [String!]!) {
  inviteByEmail(communitySlug: $slug, emails: $emails) { id code email maxUses uses expiresAt community { slug } }
}
"""


async def invite(gql, persona: Persona, community: Community, emails: list[str]) -> list[dict]:
    data = await gql.data(INVITE, {"slug": community.slug, "emails": emails}, token=persona.token)
    return data["inviteByEmail"]


async def refused(gql, persona: Persona | None, slug: str, emails: list[str]) -> dict:
    error = await gql.error(INVITE, {"slug": slug, "emails": emails}, token=persona.token if persona else None)
    assert await Invitation.filter(email__isnull=False).count() == 0, "nothing half-written"
    assert await OutgoingEmail.filter(template="invitation").count() == 0
    return error


async def test_each_address_gets_its_own_single_use_code_by_email(
    gql, owner_alice: Persona, public_community: Community
):
    # when alice invites two addresses, one of them written twice in another case, with spaces
    made = await invite(gql, owner_alice, public_community, ["dora@example.org", " Ed@Example.org", "ed@example.org"])
    # then two invitations, single use, expiring in two weeks, named by address
    assert [i["email"] for i in made] == ["dora@example.org", "ed@example.org"]
    assert all(i["maxUses"] == 1 and i["uses"] == 0 and i["community"]["slug"] == "python-paris" for i in made)
    expires = datetime.fromisoformat(made[0]["expiresAt"])
    assert timedelta(days=13, hours=23) < expires - datetime.now(UTC) <= timedelta(days=14)
    # and each address is emailed its own code, in the inviter's language, with the community's name
    emails = await queued("invitation")
    assert emails["dora@example.org"]["code"] == made[0]["code"] != made[1]["code"] == emails["ed@example.org"]["code"]
    assert emails["dora@example.org"] | {"code": "", "expires_at": ""} == {
        "community_name": "Python Paris",
        "community_slug": "python-paris",
        "code": "",
        "inviter": "Alice",
        "expires_at": "",
        "valid_days": 14,
    }
    row = await OutgoingEmail.get(to_address="dora@example.org")
    assert row.language == "en" and row.member_id is None


async def test_the_code_lets_one_person_in_once(gql, owner_alice: Persona):
    community = await make_community(owner_alice, "Club")
    await Community.filter(id=community.id).update(join_policy="INVITE")
    [made] = await invite(gql, owner_alice, community, ["dora@example.org"])
    dora, eve = await make_member("dora"), await make_member("eve")
    joined = await gql.data(JOIN, {"slug": community.slug, "code": made["code"]}, token=dora.token)
    assert joined["joinCommunity"]["status"] == "ACTIVE"
    error = await gql.error(JOIN, {"slug": community.slug, "code": made["code"]}, token=eve.token)
    assert error["extensions"]["code"] in {"BAD_USER_INPUT", "FORBIDDEN"}


async def test_members_are_skipped_and_known_addresses_are_linked_to_their_account(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given bob is a member, and frank has an account but is not one
    frank = await make_member("frank")
    made = await invite(gql, owner_alice, public_community, ["bob@example.org", "frank@example.org"])
    # then only frank is invited, and his email goes to his account (his language, his preferences)
    assert [i["email"] for i in made] == ["frank@example.org"]
    assert list(await queued("invitation")) == ["frank@example.org"]
    assert (await OutgoingEmail.get(template="invitation")).member_id == frank.member.id


@pytest.mark.parametrize(
    "emails",
    [
        [],
        ["not-an-address"],
        ["ok@example.org", "two@@example.org"],
        ["x" * 300 + "@example.org"],
        ["line@example.org\nBcc: victim@example.org"],
        [f"person{i}@example.org" for i in range(51)],
    ],
    ids=["empty", "malformed", "one-bad-among-good", "too-long", "header-injection", "51-addresses"],
)
async def test_bad_address_lists_are_refused_with_nothing_written(
    gql, owner_alice: Persona, public_community: Community, emails: list[str]
):
    error = await refused(gql, owner_alice, public_community.slug, emails)
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "emails"


async def test_the_bad_address_is_named(gql, owner_alice: Persona, public_community: Community):
    error = await refused(gql, owner_alice, public_community.slug, ["ok@example.org", "two@@example.org"])
    assert "two@@example.org" in error["message"]


async def test_a_huge_list_is_refused_before_anything_is_looked_at(
    gql, owner_alice: Persona, public_community: Community
):
    error = await refused(gql, owner_alice, public_community.slug, [f"p{i}@example.org" for i in range(5000)])
    assert error["extensions"]["code"] in {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
async def test_only_owners_and_managers_invite(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community, role: Role
):
    await Membership.filter(member_id=member_bob.member.id, community_id=public_community.id).update(role=role)
    error = await refused(gql, member_bob, public_community.slug, ["dora@example.org"])
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_a_manager_invites_and_a_banned_manager_cannot(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    where = {"member_id": member_bob.member.id, "community_id": public_community.id}
    await Membership.filter(**where).update(role=Role.MANAGER)
    assert len(await invite(gql, member_bob, public_community, ["dora@example.org"])) == 1
    await Membership.filter(**where).update(status=MembershipStatus.BANNED)
    error = await gql.error(
        INVITE, {"slug": public_community.slug, "emails": ["ed@example.org"]}, token=member_bob.token
    )
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_outsiders_anonymous_and_other_communities(
    gql, owner_alice: Persona, outsider_mallory: Persona, public_community: Community, private_community: Community
):
    # mallory owns a community of her own, which gives her nothing in alice's
    await make_community(outsider_mallory, "Mallory's")
    assert (await refused(gql, outsider_mallory, public_community.slug, ["a@example.org"]))["extensions"][
        "code"
    ] == "FORBIDDEN"
    # a private community she cannot see is not found, as for anything else in it
    private = await refused(gql, outsider_mallory, private_community.slug, ["a@example.org"])
    assert private["extensions"]["code"] in {"NOT_FOUND", "FORBIDDEN"}
    anonymous = await refused(gql, None, public_community.slug, ["a@example.org"])
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    missing = await refused(gql, owner_alice, "no-such-community", ["a@example.org"])
    assert missing["extensions"]["code"] == "NOT_FOUND"
