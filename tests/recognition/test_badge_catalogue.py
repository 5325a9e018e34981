"""A community's badge catalogue: every automatic badge and its custom ones, with how many hold each."""

from __future__ import annotations

from models.communities import Community
from resolvers.ids import to_global_id
from resolvers.recognition.badge_catalogue import AUTOMATIC_BADGES
from resolvers.recognition.custom_badges import do_award_badge, do_create_badge
from tests.factories import Persona, count_queries, make_community, make_post
from tests.recognition.test_custom_badges import create

CATALOGUE = """
query Catalogue($slug: String!) {
  community(slug: $slug) { badges { id slug name tier automatic holderCount } }
}
"""
CATALOGUES = """
query Catalogues { communities(first: 50) { edges { node { slug badges { slug holderCount } } } } }
"""
NODE = "query Node($id: ID!) { node(id: $id) { ... on Badge { slug } } }"
TIERS = ["BRONZE", "SILVER", "GOLD"]


async def catalogue(gql, viewer: Persona, community: Community) -> list[dict]:
    return (await gql.data(CATALOGUE, {"slug": community.slug}, token=viewer.token))["community"]["badges"]


async def test_the_catalogue_lists_every_automatic_badge_and_the_custom_ones_with_their_holders(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: first posts by bob and alice, and a custom badge given to bob
    await make_post(member_bob, public_community)
    await make_post(owner_alice, public_community)
    speaker = await do_create_badge(owner_alice.ctx, public_community.slug, "Speaker", "Spoke at a meetup", "GOLD")
    await do_award_badge(owner_alice.ctx, to_global_id("Badge", speaker.id), "bob", "March meetup")
    # when
    badges = await catalogue(gql, member_bob, public_community)
    # then
    by_slug = {badge["slug"]: badge for badge in badges}
    assert {slug for slug, badge in by_slug.items() if badge["automatic"]} == {b.slug for b in AUTOMATIC_BADGES}
    described = ("name", "tier", "automatic", "holderCount")
    assert [by_slug["first-post"][key] for key in described] == ["First post", "BRONZE", True, 2]
    assert [by_slug["speaker"][key] for key in described] == ["Speaker", "GOLD", False, 1]
    assert by_slug["top-contributor"]["holderCount"] == 0
    assert [(b["tier"], b["name"]) for b in badges] == sorted(
        [(b["tier"], b["name"]) for b in badges], key=lambda t: (TIERS.index(t[0]), t[1])
    )


async def test_each_badge_of_the_catalogue_keeps_its_id(gql, owner_alice: Persona, public_community: Community):
    # given: a catalogue read before any badge was earned
    before = await catalogue(gql, owner_alice, public_community)
    # when: one is earned, and the catalogue read again
    await make_post(owner_alice, public_community)
    after = await catalogue(gql, owner_alice, public_community)
    # then
    assert [(b["id"], b["slug"]) for b in before] == [(b["id"], b["slug"]) for b in after]
    first_post = next(b for b in after if b["slug"] == "first-post")
    assert first_post["holderCount"] == 1
    assert (await gql.data(NODE, {"id": first_post["id"]}))["node"] == {"slug": "first-post"}


async def test_top_contributor_is_reserved_for_the_weekly_award(gql, owner_alice: Persona, public_community):
    error = (await create(gql, owner_alice, public_community, "Top contributor"))["errors"][0]
    assert error["extensions"] == {"code": "CONFLICT", "field": "name"}


async def catalogue_statements(gql, viewer: Persona) -> list[str]:
    with count_queries() as statements:
        data = await gql.data(CATALOGUES, token=viewer.token)
    assert all(len(edge["node"]["badges"]) == len(AUTOMATIC_BADGES) for edge in data["communities"]["edges"])
    return statements


async def test_catalogues_cost_the_same_statements_for_1_and_3_communities(gql, owner_alice: Persona):
    statements = {}
    for size in (1, 3):
        # given
        while await Community.all().count() < size:
            await make_community(owner_alice)
        # when: read for the first time (the automatic badges get their rows), then again
        statements[size] = [len(await catalogue_statements(gql, owner_alice)) for _ in range(2)]
    # then
    assert statements[1] == statements[3], statements
    assert statements[1][1] < statements[1][0]  # once made, the rows are only read
