"""communities(), community.members() and viewerMembership through the GraphQL API."""

from __future__ import annotations

import pytest

from models.communities import Community, JoinPolicy, Membership, Role, Visibility
from tests.communities.helpers import JOIN, approval_community
from tests.factories import Persona, join, make_community, make_member

COMMUNITIES = """
query Communities($search: String, $first: Int, $after: String) {
  communities(search: $search, first: $first, after: $after) {
    totalCount
    edges { cursor node { slug name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
MEMBERS = """
query Members($slug: String!, $role: Role, $skill: String, $status: MembershipStatus, $first: Int, $after: String) {
  community(slug: $slug) {
    members(role: $role, skill: $skill, status: $status, first: $first, after: $after) {
      totalCount
      edges { node { role status member { username } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
VIEWER_MEMBERSHIP = "query V($slug: String!) { community(slug: $slug) { viewerMembership { role status } } }"


def slugs(data: dict) -> list[str]:
    return [edge["node"]["slug"] for edge in data["communities"]["edges"]]


def usernames(data: dict) -> list[str]:
    return [edge["node"]["member"]["username"] for edge in data["community"]["members"]["edges"]]


async def test_search_finds_communities_by_name_case_insensitively(gql, owner_alice: Persona):
    # given
    await make_community(owner_alice, "Python Paris", slug="py-paris")
    await make_community(owner_alice, "Rust Lyon", slug="rust-lyon")
    await make_community(owner_alice, "Pythonistas du Nord", slug="py-nord")
    # when
    data = await gql.data(COMMUNITIES, {"search": "PYTHON"})
    # then
    assert slugs(data) == ["py-paris", "py-nord"]
    assert data["communities"]["totalCount"] == 2


@pytest.mark.parametrize("search", ["%", "_", "\\"])
async def test_search_treats_wildcards_literally(gql, owner_alice: Persona, search: str):
    # given
    await make_community(owner_alice, "Python Paris")
    # when
    data = await gql.data(COMMUNITIES, {"search": search})
    # then
    assert slugs(data) == []


async def test_private_communities_are_listed_only_for_their_members(
    gql, public_community: Community, private_community: Community, member_bob: Persona, outsider_mallory: Persona
):
    # given: bob is a member of both, mallory of none
    # when
    anonymous = await gql.data(COMMUNITIES)
    outsider = await gql.data(COMMUNITIES, token=outsider_mallory.token)
    searching = await gql.data(COMMUNITIES, {"search": "secret"}, token=outsider_mallory.token)
    member = await gql.data(COMMUNITIES, token=member_bob.token)
    # then
    assert slugs(anonymous) == slugs(outsider) == ["python-paris"]
    assert anonymous["communities"]["totalCount"] == outsider["communities"]["totalCount"] == 1
    assert slugs(searching) == []
    assert slugs(member) == ["python-paris", "secret-garden"]
    assert member["communities"]["totalCount"] == 2


async def test_pending_requester_does_not_see_a_private_community_listed(gql, owner_alice: Persona, member_bob):
    # given
    community = await approval_community(owner_alice, visibility=Visibility.PRIVATE)
    await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token)
    # when
    data = await gql.data(COMMUNITIES, token=member_bob.token)
    # then
    assert slugs(data) == []


async def test_communities_pages_follow_on_without_overlap(gql, owner_alice: Persona):
    # given
    for i in range(7):
        await make_community(owner_alice, f"Community {i:02}")
    seen: list[str] = []
    after = None
    # when
    for _ in range(3):
        page = await gql.data(COMMUNITIES, {"first": 3, "after": after})
        seen += slugs(page)
        after = page["communities"]["pageInfo"]["endCursor"]
        assert page["communities"]["totalCount"] == 7
    # then
    assert seen == [f"community-{i:02}" for i in range(7)]
    assert page["communities"]["pageInfo"]["hasNextPage"] is False


async def test_end_cursor_is_the_last_edge_cursor(gql, owner_alice: Persona):
    # given
    for i in range(3):
        await make_community(owner_alice, f"Community {i}")
    # when
    data = await gql.data(COMMUNITIES, {"first": 2})
    # then
    assert data["communities"]["pageInfo"] == {
        "hasNextPage": True,
        "endCursor": data["communities"]["edges"][1]["cursor"],
    }


@pytest.mark.parametrize("first", [0, -1, 101, 10_000])
async def test_first_outside_1_to_100_is_bad_user_input(gql, public_community: Community, first: int):
    # given / when
    communities = await gql.error(COMMUNITIES, {"first": first})
    members = await gql.error(MEMBERS, {"slug": public_community.slug, "first": first})
    # then
    assert communities["extensions"] == members["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


@pytest.mark.parametrize("first", [1, 100])
async def test_first_at_the_limits_is_accepted(gql, public_community: Community, first: int):
    # given / when
    data = await gql.data(COMMUNITIES, {"first": first})
    # then
    assert slugs(data) == ["python-paris"]


async def test_unreadable_after_cursor_is_bad_user_input(gql, public_community: Community):
    # given / when
    error = await gql.error(COMMUNITIES, {"after": "not a cursor"})
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_members_are_filtered_by_role(gql, public_community: Community, owner_alice: Persona, member_bob):
    # given: alice owns, bob is a member
    # when
    owners = await gql.data(MEMBERS, {"slug": public_community.slug, "role": "OWNER"})
    plain = await gql.data(MEMBERS, {"slug": public_community.slug, "role": "MEMBER"})
    # then
    assert usernames(owners) == ["alice"]
    assert usernames(plain) == ["bob"]
    assert owners["community"]["members"]["totalCount"] == 1


async def test_members_are_filtered_by_skill(gql, public_community: Community, outsider_mallory: Persona):
    # given: alice has python and writing, bob design; carol python
    carol = await make_member("carol", skills=["Python", "go"])
    await join(carol, public_community)
    await join(outsider_mallory, public_community)
    # when
    python = await gql.data(MEMBERS, {"slug": public_community.slug, "skill": " #PYTHON "})
    design = await gql.data(MEMBERS, {"slug": public_community.slug, "skill": "design"})
    nobody = await gql.data(MEMBERS, {"slug": public_community.slug, "skill": "cobol"})
    # then
    assert usernames(python) == ["alice", "carol"]
    assert python["community"]["members"]["totalCount"] == 2
    assert usernames(design) == ["bob"]
    assert usernames(nobody) == []


async def test_members_filter_combines_role_and_skill(gql, public_community: Community):
    # given
    carol = await make_member("carol", skills=["python"])
    await join(carol, public_community)
    # when
    data = await gql.data(MEMBERS, {"slug": public_community.slug, "skill": "python", "role": "MEMBER"})
    # then
    assert usernames(data) == ["carol"]


async def test_members_pages_follow_on_without_overlap(gql, public_community: Community):
    # given: alice and bob, then five more
    for i in range(5):
        await join(await make_member(f"extra{i}"), public_community)
    seen: list[str] = []
    after = None
    # when
    for _ in range(4):
        page = await gql.data(MEMBERS, {"slug": public_community.slug, "first": 2, "after": after})
        seen += usernames(page)
        after = page["community"]["members"]["pageInfo"]["endCursor"]
        assert page["community"]["members"]["totalCount"] == 7
    # then
    assert seen == ["alice", "bob", *(f"extra{i}" for i in range(5))]
    assert page["community"]["members"]["pageInfo"]["hasNextPage"] is False


async def test_members_joined_at_the_same_instant_page_without_overlap(gql, public_community: Community):
    # given: five members with one joined_at (bulk imports, clock resolution)
    for i in range(5):
        await join(await make_member(f"same{i}"), public_community)
    first = await Membership.filter(community_id=public_community.id).order_by("id").first()
    await Membership.filter(community_id=public_community.id).update(joined_at=first.joined_at)
    seen: list[str] = []
    after = None
    # when
    for _ in range(4):
        page = await gql.data(MEMBERS, {"slug": public_community.slug, "first": 2, "after": after})
        seen += usernames(page)
        after = page["community"]["members"]["pageInfo"]["endCursor"]
    # then
    assert seen == ["alice", "bob", *(f"same{i}" for i in range(5))]


async def test_pending_members_are_listed_for_managers_only(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given
    community = await approval_community(owner_alice)
    await gql.data(JOIN, {"slug": community.slug}, token=outsider_mallory.token)
    await Membership.create(member_id=member_bob.member.id, community_id=community.id, role=Role.MANAGER)
    variables = {"slug": community.slug, "status": "PENDING"}
    # when
    by_owner = await gql.data(MEMBERS, variables, token=owner_alice.token)
    by_manager = await gql.data(MEMBERS, variables, token=member_bob.token)
    by_requester = await gql.error(MEMBERS, variables, token=outsider_mallory.token)
    by_anonymous = await gql.error(MEMBERS, variables)
    # then
    assert usernames(by_owner) == usernames(by_manager) == ["mallory"]
    assert by_owner["community"]["members"]["edges"][0]["node"]["status"] == "PENDING"
    assert by_requester["extensions"]["code"] == "FORBIDDEN"
    assert by_anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def test_plain_members_cannot_list_pending_members(gql, public_community: Community, member_bob: Persona):
    # given / when
    error = await gql.error(MEMBERS, {"slug": public_community.slug, "status": "PENDING"}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_pending_members_are_not_in_the_default_list(gql, owner_alice: Persona, outsider_mallory: Persona):
    # given
    community = await approval_community(owner_alice)
    await gql.data(JOIN, {"slug": community.slug}, token=outsider_mallory.token)
    # when
    data = await gql.data(MEMBERS, {"slug": community.slug}, token=owner_alice.token)
    # then
    assert usernames(data) == ["alice"]
    assert data["community"]["members"]["totalCount"] == 1


async def test_viewer_membership_shows_the_viewers_own_role(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given / when
    owner = await gql.data(VIEWER_MEMBERSHIP, {"slug": public_community.slug}, token=owner_alice.token)
    member = await gql.data(VIEWER_MEMBERSHIP, {"slug": public_community.slug}, token=member_bob.token)
    outsider = await gql.data(VIEWER_MEMBERSHIP, {"slug": public_community.slug}, token=outsider_mallory.token)
    anonymous = await gql.data(VIEWER_MEMBERSHIP, {"slug": public_community.slug})
    # then
    assert owner["community"]["viewerMembership"] == {"role": "OWNER", "status": "ACTIVE"}
    assert member["community"]["viewerMembership"] == {"role": "MEMBER", "status": "ACTIVE"}
    assert outsider["community"]["viewerMembership"] is None
    assert anonymous["community"]["viewerMembership"] is None


async def test_viewer_membership_in_a_list_of_communities(gql, owner_alice: Persona, member_bob: Persona):
    # given
    mine = await make_community(owner_alice, "Alice's", slug="alices")
    await make_community(member_bob, "Bob's", slug="bobs", join_policy=JoinPolicy.OPEN)
    query = "{ communities { edges { node { slug viewerMembership { role } } } } }"
    # when
    data = await gql.data(query, token=owner_alice.token)
    # then
    roles = {e["node"]["slug"]: e["node"]["viewerMembership"] for e in data["communities"]["edges"]}
    assert roles == {mine.slug: {"role": "OWNER"}, "bobs": None}


async def test_member_memberships_page_without_overlap(gql, owner_alice: Persona, member_bob: Persona):
    # given: bob in five communities
    for i in range(5):
        await join(member_bob, await make_community(owner_alice, f"Community {i}", slug=f"community-{i}"))
    query = """
    query M($after: String) {
      member(username: "bob") {
        memberships(first: 2, after: $after) {
          totalCount edges { node { community { slug } } } pageInfo { hasNextPage endCursor }
        }
      }
    }
    """
    seen: list[str] = []
    after = None
    # when
    for _ in range(3):
        page = (await gql.data(query, {"after": after}))["member"]["memberships"]
        seen += [edge["node"]["community"]["slug"] for edge in page["edges"]]
        after = page["pageInfo"]["endCursor"]
        assert page["totalCount"] == 5
    # then
    assert seen == [f"community-{i}" for i in range(5)]
    assert page["pageInfo"]["hasNextPage"] is False
