"""community.posts: filters, order and pagination."""

from __future__ import annotations

import base64
from datetime import UTC

import orjson
import pytest

from models.communities import Community
from models.posts import PostKind
from tests.factories import Persona, gid, introduction_of, make_post

FEED = """
query Feed($slug: String!, $first: Int, $after: String, $tag: String, $kind: PostKind) {
  community(slug: $slug) {
    posts(first: $first, after: $after, tag: $tag, kind: $kind) {
      totalCount
      edges { cursor node { id title kind tags } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def feed(gql, community: Community, **variables: object) -> dict:
    data = await gql.data(FEED, {"slug": community.slug, **variables})
    return data["community"]["posts"]


async def test_posts_are_newest_first(member_bob: Persona, public_community: Community, gql):
    # given
    introduction = await introduction_of(member_bob, public_community)  # written when bob joined
    made = [await make_post(member_bob, public_community, f"post {i}") for i in range(3)]
    # when
    page = await feed(gql, public_community)
    # then
    assert [e["node"]["id"] for e in page["edges"]] == [gid(p) for p in [*reversed(made), introduction]]
    assert page["totalCount"] == 4
    assert page["pageInfo"]["hasNextPage"] is False


async def test_filter_by_tag_normalises_the_tag(member_bob: Persona, public_community: Community, gql):
    # given
    tagged = await make_post(member_bob, public_community, "tagged", tags=["python", "async"])
    await make_post(member_bob, public_community, "other", tags=["rust"])
    await make_post(member_bob, public_community, "untagged")
    # when
    page = await feed(gql, public_community, tag="#Python")
    # then
    assert [e["node"]["id"] for e in page["edges"]] == [gid(tagged)]
    assert page["edges"][0]["node"]["tags"] == ["python", "async"]
    assert page["totalCount"] == 1


async def test_filter_by_kind(owner_alice: Persona, public_community: Community, gql):
    # given
    question = await make_post(owner_alice, public_community, "q", kind=PostKind.QUESTION)
    await make_post(owner_alice, public_community, "d")
    await make_post(owner_alice, public_community, "a", kind=PostKind.ANNOUNCEMENT)
    # when
    page = await feed(gql, public_community, kind="QUESTION")
    # then
    assert [e["node"]["id"] for e in page["edges"]] == [gid(question)]
    assert page["totalCount"] == 1


async def test_filters_combine(owner_alice: Persona, public_community: Community, gql):
    # given
    wanted = await make_post(owner_alice, public_community, "q", kind=PostKind.QUESTION, tags=["help"])
    await make_post(owner_alice, public_community, "d", tags=["help"])
    await make_post(owner_alice, public_community, "q2", kind=PostKind.QUESTION)
    # when
    page = await feed(gql, public_community, kind="QUESTION", tag="help")
    # then
    assert [e["node"]["id"] for e in page["edges"]] == [gid(wanted)]


@pytest.mark.parametrize("page_size", [1, 3, 7])
async def test_pages_have_no_overlap_and_no_gap(member_bob: Persona, public_community: Community, gql, page_size):
    # given
    made = [await make_post(member_bob, public_community, f"post {i}", tags=["all"]) for i in range(7)]
    # when
    seen: list[str] = []
    after = None
    for _ in range(10):  # bounded: a cursor that does not advance must fail, not hang
        page = await feed(gql, public_community, first=page_size, after=after, tag="all")
        seen += [e["node"]["id"] for e in page["edges"]]
        assert page["totalCount"] == 7
        assert page["pageInfo"]["endCursor"] == (page["edges"][-1]["cursor"] if page["edges"] else None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then
    assert seen == [gid(p) for p in reversed(made)]


async def test_posts_published_in_the_same_instant_are_paginated_by_id(
    member_bob: Persona, public_community: Community, gql
):
    # given: three posts sharing one publication time, so only the id separates them
    from models.posts import Post

    made = [await make_post(member_bob, public_community, f"post {i}") for i in range(3)]
    await Post.filter(id__in=[p.id for p in made]).update(published_at=made[0].published_at)
    # when
    first = await feed(gql, public_community, first=2)
    second = await feed(gql, public_community, first=2, after=first["pageInfo"]["endCursor"])
    # then: bob's introduction, published before them, comes last
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert ids == [gid(p) for p in [*reversed(made), await introduction_of(member_bob, public_community)]]
    assert second["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("first", [0, -1, 101])
async def test_first_outside_1_to_100_is_bad_user_input(public_community: Community, gql, first: int):
    # when
    error = await gql.error(FEED, {"slug": public_community.slug, "first": first})
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_first_100_is_fine(member_bob: Persona, public_community: Community, gql):
    # when
    page = await feed(gql, public_community, first=100)
    # then: the one post so far, bob's introduction
    assert [e["node"]["id"] for e in page["edges"]] == [gid(await introduction_of(member_bob, public_community))]


def cursor(values: list) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


@pytest.mark.parametrize(
    "after",
    [
        "not-a-cursor",
        cursor([1, 2, 3]),
        cursor(["2026-01-01T00:00:00+00:00", "x"]),  # not an id
        cursor(["2026-01-01T00:00:00+00:00", 2**40]),  # an id no int column holds
        cursor(["2026-01-01T00:00:00+00:00", True]),
        cursor(["yesterday", 1]),
        cursor([{"a": 1}, 1]),
        cursor([None, None]),
        cursor(["0001-01-01T00:00:00+05:00", 1]),  # before year 1 in UTC
        cursor(["9999-12-31T23:59:59-05:00", 1]),  # after year 9999 in UTC
    ],
)
async def test_an_unreadable_cursor_is_bad_user_input(member_bob: Persona, public_community: Community, gql, after):
    # given
    await make_post(member_bob, public_community)
    # when
    error = await gql.error(FEED, {"slug": public_community.slug, "after": after})
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_a_cursor_without_time_zone_reads_as_utc(member_bob: Persona, public_community: Community, gql):
    # given
    old, new = await make_post(member_bob, public_community, "old"), await make_post(member_bob, public_community)
    naive = new.published_at.astimezone(UTC).replace(tzinfo=None).isoformat()
    # when
    page = await feed(gql, public_community, after=cursor([naive, new.id]))
    # then: what is older than `new`: `old`, then bob's introduction
    assert [e["node"]["id"] for e in page["edges"]] == [
        gid(old),
        gid(await introduction_of(member_bob, public_community)),
    ]
