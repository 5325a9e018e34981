"""A page of posts loads what its fields ask for ahead, however the page's document names them: fragments,
aliases, or nothing at all of the post's relations."""

from __future__ import annotations

from models.posts import ReactionKind
from resolvers.posts.reactions import do_react
from tests.factories import Persona, count_queries, gid, join, make_comment, make_community, make_member, make_post

WITH_FRAGMENTS = """
query Feed($slug: String!) {
  community(slug: $slug) {
    posts(first: 10) { edges { ...Edge } }
  }
}
fragment Edge on PostEdge { node { ... on Post { title writer: author { username } } ...Counts } }
fragment Counts on Post { tags commentCount reactions { total counts { kind count } } }
"""
TITLES_ONLY = "query Titles($slug: String!) { community(slug: $slug) { posts { edges { node { title } } } } }"


async def test_fields_named_through_fragments_and_aliases_get_their_values(gql, owner_alice: Persona):
    # given two posts by two authors, one with a comment and a reaction
    bob = await make_member("bob")
    community = await make_community(owner_alice, "Ahead")
    await join(bob, community)
    first = await make_post(owner_alice, community, "First", tags=["alpha", "beta"])
    await make_post(bob, community, "Second")
    await make_comment(bob, first)
    await do_react(bob.ctx, gid(first), ReactionKind.THANKS, add=True)
    # when
    data = await gql.data(WITH_FRAGMENTS, {"slug": community.slug})
    # then
    nodes = {edge["node"]["title"]: edge["node"] for edge in data["community"]["posts"]["edges"]}
    assert nodes["First"] == {
        "title": "First",
        "writer": {"username": "alice"},
        "tags": ["alpha", "beta"],
        "commentCount": 1,
        "reactions": {"total": 1, "counts": [{"kind": "THANKS", "count": 1}]},
    }
    assert nodes["Second"]["writer"] == {"username": "bob"} and nodes["Second"]["commentCount"] == 0


async def test_a_page_asking_nothing_of_its_posts_relations_loads_nothing_more(gql, owner_alice: Persona):
    community = await make_community(owner_alice, "Titles")
    await make_post(owner_alice, community, "Only a title", tags=["alpha"])
    with count_queries() as statements:
        data = await gql.data(TITLES_ONLY, {"slug": community.slug})
    assert {"node": {"title": "Only a title"}} in data["community"]["posts"]["edges"]
    assert len(statements) == 2, statements  # the community and the page
