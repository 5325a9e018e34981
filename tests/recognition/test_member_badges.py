"""A member's badges on their profile: per community, or from every community the viewer can see."""

from __future__ import annotations

from models.communities import Community
from tests.factories import Persona, count_queries, join, make_community, make_member, make_post

PROFILE_BADGES = """
query Profile($username: String!, $slug: String) {
  member(username: $username) { badges(communitySlug: $slug) { badge { slug } community { slug } } }
}
"""
MEMBERS_WITH_BADGES = """
query Members($slug: String!, $in: String) {
  community(slug: $slug) {
    members(first: 50) {
      edges { node { member { username badges(communitySlug: $in) { awardedAt badge { slug } } } } }
    }
  }
}
"""
# Statements for a page of members with their badges, here or everywhere: the community by slug, the page,
# the members, their badges, the badges' rows.
MEMBERS_WITH_BADGES_STATEMENTS = 5


async def profile_badges(gql, viewer: Persona | None, username: str, slug: str | None = None) -> dict:
    token = viewer.token if viewer else None
    return await gql.execute(PROFILE_BADGES, {"username": username, "slug": slug}, token=token)


def held(body: dict) -> list[tuple[str, str]]:
    return [(award["community"]["slug"], award["badge"]["slug"]) for award in body["data"]["member"]["badges"]]


async def test_a_profile_shows_the_badges_of_every_community_the_viewer_can_see(
    gql,
    owner_alice: Persona,
    member_bob: Persona,
    outsider_mallory: Persona,
    public_community: Community,
    private_community: Community,
):
    # given: bob's first posts earn him first-post in both communities, the public one first
    await make_post(member_bob, public_community)
    await make_post(member_bob, private_community)
    # when
    fellow = await profile_badges(gql, owner_alice, "bob")
    outsider = await profile_badges(gql, outsider_mallory, "bob")
    anonymous = await profile_badges(gql, None, "bob")
    # then
    assert held(fellow) == [("python-paris", "first-post"), ("secret-garden", "first-post")]
    assert held(outsider) == held(anonymous) == [("python-paris", "first-post")]


async def test_a_profile_shows_the_badges_of_one_community_unless_it_is_hidden(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, public_community, private_community
):
    # given
    await make_post(member_bob, public_community)
    await make_post(member_bob, private_community)
    # when
    fellow = await profile_badges(gql, owner_alice, "bob", "SECRET-GARDEN")
    public = await profile_badges(gql, outsider_mallory, "bob", "python-paris")
    hidden = await profile_badges(gql, outsider_mallory, "bob", "secret-garden")
    unknown = await profile_badges(gql, outsider_mallory, "bob", "no-such-place")
    # then
    assert held(fellow) == [("secret-garden", "first-post")]
    assert held(public) == [("python-paris", "first-post")]
    for body in (hidden, unknown):  # the same answer, so a slug does not tell whether a private community exists
        assert body["data"]["member"] is None
        assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "communitySlug"}
    assert hidden["errors"][0]["message"].replace("secret-garden", "x") == unknown["errors"][0]["message"].replace(
        "no-such-place", "x"
    )


async def members_with_badges(name: str, size: int) -> Community:
    """A public community of `size` members who each earned first-post there and in one more community."""
    people = [await make_member(f"{name.lower()}{i}") for i in range(size)]
    community, elsewhere = await make_community(people[0], name), await make_community(people[0], f"{name} too")
    for persona in people:
        for place in (community, elsewhere):
            if persona is not people[0]:
                await join(persona, place)
            await make_post(persona, place)
    return community


async def test_a_page_of_members_with_their_badges_costs_the_same_statements_for_2_and_6_members(
    gql, owner_alice: Persona
):
    for size in (2, 6):
        # given
        community = await members_with_badges(f"Club{size}", size)
        for where, badges_each in ((community.slug, 1), (None, 2)):
            # when
            with count_queries() as statements:
                variables = {"slug": community.slug, "in": where}
                data = await gql.data(MEMBERS_WITH_BADGES, variables, token=owner_alice.token)
            # then
            members = [edge["node"]["member"] for edge in data["community"]["members"]["edges"]]
            assert len(members) == size
            assert all([a["badge"]["slug"] for a in m["badges"]] == ["first-post"] * badges_each for m in members)
            assert len(statements) == MEMBERS_WITH_BADGES_STATEMENTS, "\n".join(statements)
