"""Scheduled posts: hidden until published, then published exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from models.activity import Activity
from models.communities import Community
from models.posts import Post, PostStatus
from resolvers.posts import posts
from tests.factories import Persona, count_queries, gid, introduction_of, join, make_member
from tests.posts.conftest import activity_log, ban, content_verbs, written

SCHEDULE_POST = """
mutation Schedule($input: CreatePostInput!) {
  createPost(input: $input) { id status publishAt publishedAt }
}
"""
FEED = "query Feed($slug: String!) { community(slug: $slug) { posts { totalCount edges { node { id } } } } }"
POST = "query Post($id: ID!) { post(id: $id) { id status } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
PUBLISH_POST = "mutation Publish($id: ID!) { publishPost(postId: $id) { id status publishedAt } }"

IN_A_DAY = datetime.now(UTC) + timedelta(days=1)
NEXT_NEW_YEAR = f"{datetime.now(UTC).year + 1}-01-01T09:00:00"


async def schedule(author: Persona, community: Community, at: datetime = IN_A_DAY, title: str = "Later") -> Post:
    return await posts.do_create_post(
        author.ctx, posts.NewPost(community_slug=community.slug, title=title, body="Soon", publish_at=at)
    )


async def feed_ids(gql, community: Community, token: str | None) -> list[str]:
    data = await gql.data(FEED, {"slug": community.slug}, token=token)
    return [edge["node"]["id"] for edge in data["community"]["posts"]["edges"]]


async def test_a_future_publish_at_schedules_the_post(gql, member_bob: Persona, public_community: Community):
    # given
    before = await activity_log(public_community)
    variables = {
        "input": {
            "communitySlug": public_community.slug,
            "title": "Later",
            "body": "b",
            "publishAt": f"{NEXT_NEW_YEAR}Z",
        }
    }
    # when
    post = (await gql.data(SCHEDULE_POST, variables, token=member_bob.token))["createPost"]
    # then
    assert post["status"] == "SCHEDULED"
    assert post["publishedAt"] is None
    assert post["publishAt"].startswith(NEXT_NEW_YEAR)
    assert await activity_log(public_community) == before  # nothing POSTED yet


async def test_a_publish_at_without_time_zone_is_bad_user_input(gql, member_bob: Persona, public_community: Community):
    # given
    variables = {
        "input": {"communitySlug": public_community.slug, "title": "t", "body": "b", "publishAt": NEXT_NEW_YEAR}
    }
    before = await written(public_community)
    # when
    error = await gql.error(SCHEDULE_POST, variables, token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "publishAt"}
    assert await written(public_community) == before


async def test_a_scheduled_post_is_hidden_from_everyone_but_its_author(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, public_community: Community
):
    # given
    post = await schedule(member_bob, public_community)
    # when
    feeds = [await feed_ids(gql, public_community, who) for who in (None, member_bob.token, outsider_mallory.token)]
    by_other_member = await gql.execute(POST, {"id": gid(post)}, token=outsider_mallory.token)
    by_anonymous = await gql.execute(POST, {"id": gid(post)})
    by_author = await gql.data(POST, {"id": gid(post)}, token=member_bob.token)
    # then: everyone's feed shows bob's introduction only
    introduction = gid(await introduction_of(member_bob, public_community))
    assert feeds == [[introduction], [introduction], [introduction]]
    for body in (by_other_member, by_anonymous):
        assert body["data"]["post"] is None
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert by_author["post"] == {"id": gid(post), "status": "SCHEDULED"}


async def test_a_scheduled_post_is_hidden_from_plain_members(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: dave is a plain member (alice, the owner, moderates and may see it)
    dave = await make_member("dave")
    await join(dave, public_community)
    post = await schedule(member_bob, public_community)
    # when
    by_post = await gql.execute(POST, {"id": gid(post)}, token=dave.token)
    by_node = await gql.execute(NODE, {"id": gid(post)}, token=dave.token)
    # then
    assert by_post["data"] == {"post": None} and by_node["data"] == {"node": None}
    assert by_post["errors"][0]["extensions"]["code"] == by_node["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_publish_post_publishes_it_and_appends_posted(gql, member_bob: Persona, public_community: Community):
    # given
    post = await schedule(member_bob, public_community)
    before = await content_verbs(public_community)
    # when
    published = (await gql.data(PUBLISH_POST, {"id": gid(post)}, token=member_bob.token))["publishPost"]
    # then
    assert published["status"] == "PUBLISHED" and published["publishedAt"] is not None
    introduction = await introduction_of(member_bob, public_community)
    assert await feed_ids(gql, public_community, None) == [gid(post), gid(introduction)]
    assert await content_verbs(public_community) == [*before, "POSTED"]
    again = await gql.error(PUBLISH_POST, {"id": gid(post)}, token=member_bob.token)
    assert again["extensions"]["code"] == "CONFLICT"


async def test_only_the_author_or_a_moderator_publishes(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: a post by alice, seen by bob only as an absent post
    post = await schedule(owner_alice, public_community)
    # when
    error = await gql.error(PUBLISH_POST, {"id": gid(post)}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await Post.get(id=post.id)).status == PostStatus.SCHEDULED


async def test_publish_due_posts_publishes_only_due_posts(member_bob: Persona, public_community: Community):
    # given
    due = await schedule(member_bob, public_community, datetime.now(UTC) + timedelta(minutes=5), "due")
    later = await schedule(member_bob, public_community, datetime.now(UTC) + timedelta(days=3), "later")
    # when
    count = await posts.publish_due_posts(now=datetime.now(UTC) + timedelta(minutes=10))
    # then
    assert count == 1
    assert (await Post.get(id=due.id)).status == PostStatus.PUBLISHED
    assert (await Post.get(id=later.id)).status == PostStatus.SCHEDULED


async def test_publish_due_posts_twice_at_once_publishes_each_post_once(
    member_bob: Persona, public_community: Community
):
    # given
    scheduled = [await schedule(member_bob, public_community, IN_A_DAY, f"post {i}") for i in range(5)]
    before = await content_verbs(public_community)
    # when
    counts = await asyncio.gather(
        posts.publish_due_posts(now=IN_A_DAY + timedelta(seconds=1)),
        posts.publish_due_posts(now=IN_A_DAY + timedelta(seconds=1)),
    )
    # then
    assert sum(counts) == 5
    introduction = await introduction_of(member_bob, public_community)  # published when bob joined
    published = await Post.filter(status=PostStatus.PUBLISHED).values_list("id", flat=True)
    assert sorted(published) == sorted([introduction.id, *(p.id for p in scheduled)])
    posted = await Activity.filter(community_id=public_community.id, verb="POSTED").values_list("subject_id", flat=True)
    assert sorted(posted) == sorted(p.id for p in scheduled)
    assert await content_verbs(public_community) == [*before, *["POSTED"] * 5]


async def test_a_banned_author_cannot_publish(gql, member_bob: Persona, public_community: Community):
    # given
    post = await schedule(member_bob, public_community)
    await ban(member_bob, public_community)
    # when
    error = await gql.error(PUBLISH_POST, {"id": gid(post)}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (await Post.get(id=post.id)).status == PostStatus.SCHEDULED


async def test_a_moderator_publishes_a_scheduled_post(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await schedule(member_bob, public_community)
    # when
    published = (await gql.data(PUBLISH_POST, {"id": gid(post)}, token=owner_alice.token))["publishPost"]
    # then
    assert published["status"] == "PUBLISHED"


async def test_a_past_publish_at_publishes_now(gql, member_bob: Persona, public_community: Community):
    # given
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    variables = {"input": {"communitySlug": public_community.slug, "title": "t", "body": "b", "publishAt": an_hour_ago}}
    before = await content_verbs(public_community)
    # when
    post = (await gql.data(SCHEDULE_POST, variables, token=member_bob.token))["createPost"]
    # then
    assert post["status"] == "PUBLISHED" and post["publishAt"] is None
    assert datetime.fromisoformat(post["publishedAt"]) > datetime.now(UTC) - timedelta(minutes=1)
    introduction = await introduction_of(member_bob, public_community)
    assert await feed_ids(gql, public_community, None) == [post["id"], gid(introduction)]
    assert await content_verbs(public_community) == [*before, "POSTED"]


async def test_a_banned_authors_scheduled_post_is_not_published_when_due(
    member_bob: Persona, public_community: Community
):
    # given
    post = await schedule(member_bob, public_community, datetime.now(UTC) + timedelta(minutes=5))
    await ban(member_bob, public_community)
    # when
    count = await posts.publish_due_posts(now=datetime.now(UTC) + timedelta(minutes=10))
    # then
    assert count == 0
    assert (await Post.get(id=post.id)).status == PostStatus.SCHEDULED


async def test_publish_due_posts_with_nothing_due_asks_one_query(member_bob: Persona, public_community: Community):
    # given: a post due only tomorrow
    await schedule(member_bob, public_community, IN_A_DAY)
    # when
    with count_queries() as statements:
        count = await posts.publish_due_posts(now=datetime.now(UTC))
    # then
    assert count == 0
    assert len(statements) == 1, statements
