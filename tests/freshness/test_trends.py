"""trendingTags: the most used tags of a span, with growth against the span before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.communities import Community
from models.posts import Post
from tests.factories import Persona, make_post

TRENDS = """
query T($slug: String!, $period: Period!) {
  community(slug: $slug) { trendingTags(period: $period) { tag count previousCount growth } }
}
"""


async def posted(persona: Persona, community: Community, tags: list[str], days_ago: float, *, deleted=False) -> None:
    post = await make_post(persona, community, tags=tags)
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    await Post.filter(id=post.id).update(published_at=moment, deleted_at=moment if deleted else None)


async def trends(gql, community: Community, period: str) -> list[tuple[str, int, int, float]]:
    data = await gql.data(TRENDS, {"slug": community.slug, "period": period})
    return [(t["tag"], t["count"], t["previousCount"], t["growth"]) for t in data["community"]["trendingTags"]]


async def test_tags_rank_by_use_with_growth_against_the_span_before(
    gql, owner_alice: Persona, public_community: Community
):
    # given: the last 7 days python 3, rust 2, sql 1; the 7 before python 1, rust 2; python 5 more 20 days ago
    for tags, days_ago in (
        (["python", "rust"], 1),
        (["python"], 2),
        (["python", "sql"], 6.9),
        (["rust"], 3),
        (["python", "rust"], 7.1),
        (["rust"], 13.9),
        *((["python"], 20) for _ in range(5)),
    ):
        await posted(owner_alice, public_community, tags, days_ago)
    await posted(owner_alice, public_community, ["python", "go"], 2, deleted=True)  # deleted: not counted
    # then: by use, then growth; a new tag grows by its count
    assert await trends(gql, public_community, "WEEK") == [
        ("python", 3, 1, 2.0),
        ("rust", 2, 2, 0.0),
        ("sql", 1, 0, 1.0),
    ]
    assert await trends(gql, public_community, "MONTH") == [
        ("python", 9, 0, 9.0),
        ("rust", 4, 0, 4.0),
        ("sql", 1, 0, 1.0),
    ]
    assert await trends(gql, public_community, "DAY") == []  # nothing in the last day: the newest is a day old
    assert await trends(gql, public_community, "ALL") == [
        ("python", 9, 0, 9.0),
        ("rust", 4, 0, 4.0),
        ("sql", 1, 0, 1.0),
    ]
