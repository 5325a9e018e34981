"""A feed page costs a fixed, small number of SQL statements, whatever its size."""

from __future__ import annotations

from models.communities import Community
from models.posts import PostKind, ReactionKind
from resolvers.posts.comments import do_accept_answer
from resolvers.posts.reactions import do_react
from tests.factories import Persona, count_queries, gid, join, make_comment, make_community, make_member, make_post

FEED_PAGE = """
query FeedPage($slug: String!, $first: Int!) {
  community(slug: $slug) {
    posts(first: $first) {
      totalCount
      edges {
        node {
          id title bodyHtml tags
          author { username displayName }
          reactions { total counts { kind count } viewerReactions }
          commentCount
          acceptedAnswer { id }
        }
      }
    }
  }
}
"""
# Statements for one feed page: community, page, totalCount, tags, authors,
# reaction counts, the viewer's reactions, comment counts, accepted answers.
FEED_PAGE_STATEMENTS = 9


async def busy_community(owner: Persona, authors: list[Persona], n_posts: int) -> Community:
    """`n_posts` posts by several authors, with tags, comments, reactions and accepted answers."""
    community = await make_community(owner, f"Busy {n_posts}")
    for author in authors:
        await join(author, community)
    everyone = [owner, *authors]
    for i in range(n_posts):
        author = everyone[i % len(everyone)]
        kind = PostKind.QUESTION if i % 2 else PostKind.DISCUSSION
        post = await make_post(author, community, f"Post {i}", f"**{i}**", kind=kind, tags=[f"t{i % 3}", "all"])
        commenter = everyone[(i + 1) % len(everyone)]
        answer = await make_comment(commenter, post, "An answer")
        await make_comment(author, post, "A reply", parent=answer)
        if kind == PostKind.QUESTION:
            await do_accept_answer(author.ctx, gid(answer))
        for j, kind_ in enumerate(ReactionKind):
            await do_react(everyone[(i + j) % len(everyone)].ctx, gid(post), kind_, add=True)
    return community


async def feed_statements(gql, viewer: Persona, community: Community, first: int) -> list[str]:
    with count_queries() as statements:
        data = await gql.data(FEED_PAGE, {"slug": community.slug, "first": first}, token=viewer.token)
    edges = data["community"]["posts"]["edges"]
    assert len(edges) == first
    assert all(e["node"]["reactions"]["total"] == 4 and e["node"]["commentCount"] == 2 for e in edges)
    assert {e["node"]["author"]["username"] for e in edges} == {"alice", "bob", "author1", "author2"}
    assert any(e["node"]["acceptedAnswer"] for e in edges) and any(
        e["node"]["reactions"]["viewerReactions"] for e in edges
    )
    return statements


async def test_a_feed_page_costs_the_same_few_statements_for_5_and_50_posts(
    gql, owner_alice: Persona, member_bob: Persona
):
    # given: two communities, one with 5 posts and one with 50, by four authors
    authors = [member_bob, await make_member("author1"), await make_member("author2")]
    small = await busy_community(owner_alice, authors, 5)
    large = await busy_community(owner_alice, authors, 50)
    # when
    for_5 = await feed_statements(gql, member_bob, small, 5)
    for_50 = await feed_statements(gql, member_bob, large, 50)
    # then
    assert len(for_5) == len(for_50) == FEED_PAGE_STATEMENTS, "\n".join(for_50)


THREAD_PAGE = """
query ThreadPage($id: ID!, $first: Int!) {
  post(id: $id) {
    comments(first: $first) {
      totalCount
      edges {
        node {
          id bodyHtml accepted
          author { username }
          parent { id author { username } }
          reactions { total viewerReactions }
        }
      }
    }
  }
}
"""
# post, its community (visibility), comment page, totalCount, authors,
# reaction counts, viewer reactions (parents are on the page: already loaded).
THREAD_PAGE_STATEMENTS = 7


async def busy_thread(authors: list[Persona], community: Community, n_comments: int):  # noqa: ANN201
    """A post with `n_comments` comments, each a reply to the one before, each with a reaction."""
    post = await make_post(authors[0], community, "Thread")
    parent = None
    for i in range(n_comments):
        parent = await make_comment(authors[i % len(authors)], post, f"comment {i}", parent=parent)
        await do_react(authors[(i + 1) % len(authors)].ctx, gid(parent), ReactionKind.LIKE, add=True)
    return post


async def test_a_comment_page_costs_the_same_few_statements_for_5_and_50_comments(
    gql, owner_alice: Persona, member_bob: Persona
):
    # given
    community = await make_community(owner_alice, "Threads")
    await join(member_bob, community)
    small = await busy_thread([owner_alice, member_bob], community, 5)
    large = await busy_thread([owner_alice, member_bob], community, 50)
    # when
    counts = []
    for post, first in ((small, 5), (large, 50)):
        with count_queries() as statements:
            data = await gql.data(THREAD_PAGE, {"id": gid(post), "first": first}, token=member_bob.token)
        assert len(data["post"]["comments"]["edges"]) == first
        counts.append(len(statements))
    # then
    assert counts == [THREAD_PAGE_STATEMENTS, THREAD_PAGE_STATEMENTS], statements
