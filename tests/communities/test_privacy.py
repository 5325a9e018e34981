"""PRIVATE communities are invisible to non-members on every path, through the GraphQL API."""

from __future__ import annotations

from graphql import Undefined, get_named_type, is_enum_type, is_non_null_type, is_object_type

from models.communities import Community, Membership, Visibility
from resolvers.communities.membership import do_decide_membership, do_join_community
from resolvers.communities.moderation import do_set_banned
from schema import schema
from tests.communities.helpers import COMMUNITY, JOIN, approval_community
from tests.factories import Persona, gid, make_member, make_post

MEMBERSHIPS = """
query Memberships($username: String!) {
  member(username: $username) { memberships { totalCount edges { node { id community { slug } } } } }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on Community { slug } ... on Membership { role } } }"
COMMUNITY_CONTENT = """
query Content($slug: String!) {
  community(slug: $slug) { members { edges { node { member { username } } } } posts { edges { node { title } } } }
}
"""
JOIN_AND_PEEK = """
mutation JoinAndPeek($slug: String!) {
  joinCommunity(slug: $slug) {
    status
    community { name members { totalCount edges { node { member { username } } } } }
  }
}
"""
JOIN_AND_READ_POSTS = """
mutation JoinAndRead($slug: String!) {
  joinCommunity(slug: $slug) { status community { name posts { edges { node { title } } } } }
}
"""


def membership_slugs(data: dict) -> list[str]:
    return [edge["node"]["community"]["slug"] for edge in data["member"]["memberships"]["edges"]]


async def test_anonymous_cannot_see_a_private_community(gql, private_community: Community):
    # given / when
    data = await gql.data(COMMUNITY, {"slug": private_community.slug})
    # then
    assert data["community"] is None


async def test_outsider_cannot_see_a_private_community(gql, private_community: Community, outsider_mallory: Persona):
    # given / when
    data = await gql.data(COMMUNITY, {"slug": "SECRET-GARDEN"}, token=outsider_mallory.token)
    # then
    assert data["community"] is None


async def test_member_sees_the_private_community(gql, private_community: Community, member_bob: Persona):
    # given / when
    data = await gql.data(COMMUNITY, {"slug": private_community.slug}, token=member_bob.token)
    # then
    assert data["community"]["slug"] == "secret-garden"
    assert data["community"]["memberCount"] == 2
    assert data["community"]["viewerMembership"] == {"role": "MEMBER", "status": "ACTIVE"}


async def test_unknown_and_private_communities_look_the_same_to_outsiders(
    gql, private_community: Community, outsider_mallory: Persona
):
    # given / when
    private = await gql.error(JOIN, {"slug": private_community.slug}, token=outsider_mallory.token)
    unknown = await gql.error(JOIN, {"slug": "no-such-community"}, token=outsider_mallory.token)
    bad_code = await gql.execute(
        'mutation($s: String!) { joinCommunity(slug: $s, inviteCode: "guess") { status } }',
        {"s": private_community.slug},
        token=outsider_mallory.token,
    )
    # then
    assert private["extensions"] == unknown["extensions"] == {"code": "NOT_FOUND", "field": "slug"}
    assert private["message"].replace("secret-garden", "x") == unknown["message"].replace("no-such-community", "x")
    assert bad_code["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "inviteCode"}


async def test_outsider_does_not_see_private_memberships_of_a_member(
    gql, public_community: Community, private_community: Community, outsider_mallory: Persona
):
    # given: bob is a member of both
    # when
    outsider = await gql.data(MEMBERSHIPS, {"username": "bob"}, token=outsider_mallory.token)
    anonymous = await gql.data(MEMBERSHIPS, {"username": "bob"})
    # then
    assert membership_slugs(outsider) == membership_slugs(anonymous) == ["python-paris"]
    assert outsider["member"]["memberships"]["totalCount"] == 1


async def test_fellow_member_sees_private_memberships(
    gql, public_community: Community, private_community: Community, owner_alice: Persona
):
    # given / when
    data = await gql.data(MEMBERSHIPS, {"username": "bob"}, token=owner_alice.token)
    # then
    assert membership_slugs(data) == ["python-paris", "secret-garden"]
    assert data["member"]["memberships"]["totalCount"] == 2


async def test_node_of_a_private_community_is_not_found_for_outsiders(
    gql, private_community: Community, outsider_mallory: Persona, member_bob: Persona
):
    # given
    community_id = gid(private_community)
    # when
    outsider = await gql.execute(NODE, {"id": community_id}, token=outsider_mallory.token)
    anonymous = await gql.execute(NODE, {"id": community_id})
    member = await gql.data(NODE, {"id": community_id}, token=member_bob.token)
    # then
    for body in (outsider, anonymous):
        assert body["data"]["node"] is None
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert member["node"] == {"id": community_id, "slug": "secret-garden"}


async def test_node_of_a_private_membership_is_not_found_for_outsiders(
    gql, private_community: Community, outsider_mallory: Persona, member_bob: Persona, owner_alice: Persona
):
    # given
    membership = await Membership.get(community_id=private_community.id, member_id=member_bob.member.id)
    membership_id = gid(membership)
    # when
    outsider = await gql.execute(NODE, {"id": membership_id}, token=outsider_mallory.token)
    fellow = await gql.data(NODE, {"id": membership_id}, token=owner_alice.token)
    # then
    assert outsider["data"]["node"] is None
    assert outsider["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert fellow["node"] == {"id": membership_id, "role": "MEMBER"}


async def test_node_of_a_pending_request_is_not_found_for_outsiders(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given: a pending request, which only managers may list (members(status: PENDING))
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    # when
    outsider = await gql.execute(NODE, {"id": request["id"]}, token=outsider_mallory.token)
    owner = await gql.data(NODE, {"id": request["id"]}, token=owner_alice.token)
    # then
    assert outsider["data"]["node"] is None
    assert outsider["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert owner["node"]["id"] == request["id"]


async def test_pending_requester_cannot_read_members_of_a_private_community(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given: a private community that accepts requests, with bob as an active member
    community = await approval_community(owner_alice, visibility=Visibility.PRIVATE)
    await Membership.create(member_id=member_bob.member.id, community_id=community.id)
    # when: mallory asks to join and reads the members through her pending membership
    body = await gql.execute(JOIN_AND_PEEK, {"slug": community.slug}, token=outsider_mallory.token)
    # then
    assert "bob" not in str(body.get("data"))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await Membership.get(member_id=outsider_mallory.member.id)).status.value == "PENDING"


async def test_pending_requester_cannot_read_posts_of_a_private_community(
    gql, owner_alice: Persona, outsider_mallory: Persona
):
    # given
    community = await approval_community(owner_alice, visibility=Visibility.PRIVATE)
    await make_post(owner_alice, community, "Members-only plans")
    # when
    body = await gql.execute(JOIN_AND_READ_POSTS, {"slug": community.slug}, token=outsider_mallory.token)
    # then
    assert "Members-only plans" not in str(body.get("data"))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_members_read_a_private_communitys_members_and_posts(
    gql, private_community: Community, owner_alice: Persona, member_bob: Persona
):
    # given
    await make_post(owner_alice, private_community, "Members-only plans")
    # when
    data = await gql.data(COMMUNITY_CONTENT, {"slug": private_community.slug}, token=member_bob.token)
    # then
    members = [e["node"]["member"]["username"] for e in data["community"]["members"]["edges"]]
    assert members == ["alice", "bob"]
    assert [e["node"]["title"] for e in data["community"]["posts"]["edges"]] == [
        "Members-only plans",
        "Introducing Bob",
    ]


# What someone who knows a PRIVATE community only through their own membership (a request, a
# rejection, a ban) may read of it; every other field is for its active members.
IDENTITY_FIELDS = {"id", "slug", "name", "description", "visibility", "joinPolicy", "viewerMembership"}
# Of a Membership, what describes the membership itself; its standing inside the community does not.
OWN_MEMBERSHIP_FIELDS = {"id", "role", "status", "level", "joinedAt", "member", "community"}
JOIN_AND_COUNT = """
mutation JoinAndCount($slug: String!) { joinCommunity(slug: $slug) { status community { name memberCount } } }
"""
MY_MEMBERSHIPS = "query Mine { me { memberships { totalCount } } }"
OWN_MEMBERSHIP = "query Own($id: ID!) { node(id: $id) { ... on Membership { status %s } } }"


def selection(type_name: str, field_name: str) -> str:
    """`field_name` of `type_name` with made-up required arguments and the least sub-selection."""
    field = schema._schema.type_map[type_name].fields[field_name]
    args = [
        f"{name}: {_sample(arg.type)}"
        for name, arg in field.args.items()
        if is_non_null_type(arg.type) and arg.default_value is Undefined
    ]
    named = get_named_type(field.type)
    return field_name + (f"({', '.join(args)})" if args else "") + (" { __typename }" if is_object_type(named) else "")


def _sample(arg_type) -> str:  # noqa: ANN001
    named = get_named_type(arg_type)
    return next(iter(named.values)) if is_enum_type(named) else {"Int": "1", "Boolean": "true"}.get(named.name, '"x"')


def refused(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def reached(data: dict | None, *path: str) -> object:
    """The value at `path`, None where an error nulled it on the way."""
    for key in path:
        data = data.get(key) if data else None
    return data


async def private_community_with_outsiders(owner: Persona, member: Persona) -> tuple[Community, dict[str, Persona]]:
    """A private community with posts and an active member, and people it knows only through a request:
    pending, rejected, banned."""
    community = await approval_community(owner, visibility=Visibility.PRIVATE)
    await Membership.create(member_id=member.member.id, community_id=community.id)
    await make_post(owner, community, "Members-only plans")
    outsiders = {status: await make_member(status.lower()) for status in ("PENDING", "REJECTED", "BANNED")}
    for status, persona in outsiders.items():
        request = await do_join_community(persona.ctx, community.slug, None)
        if status != "PENDING":
            await do_decide_membership(owner.ctx, gid(request), approve=status == "BANNED")
    await do_set_banned(owner.ctx, community.slug, "banned", True)
    return community, outsiders


async def test_a_pending_requester_does_not_learn_the_member_count_of_a_private_community(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given
    community = await approval_community(owner_alice, visibility=Visibility.PRIVATE)
    await Membership.create(member_id=member_bob.member.id, community_id=community.id)
    # when
    body = await gql.execute(JOIN_AND_COUNT, {"slug": community.slug}, token=outsider_mallory.token)
    # then
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["path"][-1] == "memberCount"
    assert "memberCount" not in str(body["data"])
    assert (await Membership.get(member_id=outsider_mallory.member.id)).status.value == "PENDING"


async def test_people_known_only_by_their_request_see_who_a_private_community_is_and_nothing_more(
    gql, owner_alice: Persona, member_bob: Persona
):
    # given
    community, outsiders = await private_community_with_outsiders(owner_alice, member_bob)
    inside_fields = sorted(set(schema._schema.type_map["Community"].fields) - IDENTITY_FIELDS)
    identity = " ".join(sorted(IDENTITY_FIELDS - {"viewerMembership"}))
    leaks = []
    for status, persona in outsiders.items():
        own = gid(await Membership.get(member_id=persona.member.id))
        # when: through their own membership they read who the community is
        known = await gql.data(OWN_MEMBERSHIP % f"community {{ {identity} }}", {"id": own}, token=persona.token)
        # then
        assert known["node"]["status"] == status
        assert known["node"]["community"]["name"] == "Book Club"
        # ... and no list of memberships, their own or a member's, leads them inside
        assert (await gql.data(MY_MEMBERSHIPS, token=persona.token))["me"]["memberships"]["totalCount"] == 0
        assert membership_slugs(await gql.data(MEMBERSHIPS, {"username": "bob"}, token=persona.token)) == []
        for field in inside_fields:
            # when: ... and each field that shows what is inside
            query = OWN_MEMBERSHIP % f"community {{ {selection('Community', field)} }}"
            body = await gql.execute(query, {"id": own}, token=persona.token)
            # then
            if refused(body) != ["FORBIDDEN"] or reached(body["data"], "node", "community", field) is not None:
                leaks.append((status, field))
    assert leaks == []


async def test_people_known_only_by_their_request_do_not_read_their_standing_in_a_private_community(
    gql, owner_alice: Persona, member_bob: Persona
):
    # given
    community, outsiders = await private_community_with_outsiders(owner_alice, member_bob)
    standing_fields = sorted(set(schema._schema.type_map["Membership"].fields) - OWN_MEMBERSHIP_FIELDS)
    leaks = []
    for status, persona in outsiders.items():
        own = gid(await Membership.get(member_id=persona.member.id))
        for field in standing_fields:
            # when
            body = await gql.execute(OWN_MEMBERSHIP % selection("Membership", field), {"id": own}, token=persona.token)
            # then
            if refused(body) != ["FORBIDDEN"] or reached(body["data"], "node", field) is not None:
                leaks.append((status, field))
    assert leaks == []


async def test_active_members_read_their_standing_and_the_count_of_a_private_community(
    gql, owner_alice: Persona, member_bob: Persona
):
    # given
    community, _ = await private_community_with_outsiders(owner_alice, member_bob)
    own = gid(await Membership.get(member_id=member_bob.member.id))
    query = OWN_MEMBERSHIP % "points badges { id } community { memberCount createdAt }"
    # when
    data = await gql.data(query, {"id": own}, token=member_bob.token)
    # then
    assert data["node"]["points"] == 0 and data["node"]["badges"] == []
    assert data["node"]["community"]["memberCount"] == 2  # alice and bob; the banned member is out
