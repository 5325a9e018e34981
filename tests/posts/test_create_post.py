"""createPost: rendering, validation, permissions, and nothing half-written on failure."""

from __future__ import annotations

import pytest

from models.activity import Activity
from models.communities import Community
from models.posts import Post
from resolvers.ids import from_global_id
from tests.factories import Persona, introduction_of
from tests.posts.conftest import content_verbs, written

CREATE_POST = """
mutation CreatePost($input: CreatePostInput!) {
  createPost(input: $input) { id kind status title body bodyHtml tags publishedAt author { username } }
}
"""


def post_input(community: Community, **overrides: object) -> dict:
    return {"input": {"communitySlug": community.slug, "title": "Hello", "body": "Hi there", **overrides}}


async def assert_nothing_written(community: Community, before: tuple) -> None:
    assert await written(community) == before


async def test_markdown_is_rendered_to_sanitised_html(gql, member_bob: Persona, public_community: Community):
    # given
    body = (
        "**bold** and `code` and [a link](https://example.org)\n\n"
        "<script>alert('x')</script>\n\n"
        "[click me](javascript:alert(1)) [me too](JaVaScRiPt:alert(1)) [and me](&#106;avascript:alert(1)) "
        "<javascript:alert(1)> <img src=x onerror=alert(1)>"
    )
    # when
    post = (await gql.data(CREATE_POST, post_input(public_community, body=body), token=member_bob.token))["createPost"]
    # then
    html = post["bodyHtml"]
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert '<a href="https://example.org"' in html
    assert "<script" not in html.lower()
    assert html.count("<a ") == 1  # the https link only: javascript: links are left as plain text
    assert 'href="javascript' not in html.lower()
    assert "<img" not in html
    assert post["body"] == body
    assert post["author"] == {"username": "bob"}
    assert post["status"] == "PUBLISHED" and post["publishedAt"] is not None


async def test_tags_are_normalised(gql, member_bob: Persona, public_community: Community):
    # given
    tags = ["Python", "#python", "  #Async ", "PYTHON", "web dev"]
    # when
    post = (await gql.data(CREATE_POST, post_input(public_community, tags=tags), token=member_bob.token))["createPost"]
    # then
    assert post["tags"] == ["python", "async", "web-dev"]


async def test_tags_in_any_script_keep_their_letters(gql, member_bob: Persona, public_community: Community):
    tags = ["Café", "日本語", "C++", "Ｆｕｌｌｗｉｄｔｈ"]
    post = (await gql.data(CREATE_POST, post_input(public_community, tags=tags), token=member_bob.token))["createPost"]
    assert post["tags"] == ["café", "日本語", "c++", "fullwidth"]


async def test_ten_tags_are_fine_and_duplicates_do_not_count(gql, member_bob: Persona, public_community: Community):
    # given: ten distinct tags, plus spellings of the same ones
    tags = [f"t{i}" for i in range(10)] + ["#T0", "T1"]
    # when
    post = (await gql.data(CREATE_POST, post_input(public_community, tags=tags), token=member_bob.token))["createPost"]
    # then
    assert post["tags"] == [f"t{i}" for i in range(10)]


async def test_more_than_ten_tags_is_bad_user_input(gql, member_bob: Persona, public_community: Community):
    # given
    before = await written(public_community)
    tags = [f"t{i}" for i in range(11)]
    # when
    error = await gql.error(CREATE_POST, post_input(public_community, tags=tags), token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "tags"}
    await assert_nothing_written(public_community, before)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "x" * 201}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "Two\nlines"}, "title"),
        ({"body": "x" * 50_001}, "body"),
        ({"body": ""}, "body"),
        ({"tags": ["#"]}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    gql, member_bob: Persona, public_community: Community, overrides: dict, field: str
):
    # given
    before = await written(public_community)
    # when
    error = await gql.error(CREATE_POST, post_input(public_community, **overrides), token=member_bob.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    await assert_nothing_written(public_community, before)


async def test_longest_title_and_body_are_accepted(gql, member_bob: Persona, public_community: Community):
    # given
    title, body = "t" * 200, "b" * 50_000
    # when
    post = (await gql.data(CREATE_POST, post_input(public_community, title=title, body=body), token=member_bob.token))[
        "createPost"
    ]
    # then
    assert (len(post["title"]), len(post["body"])) == (200, 50_000)


async def test_non_members_are_forbidden(gql, outsider_mallory: Persona, public_community: Community):
    # given
    before = await written(public_community)
    # when
    error = await gql.error(CREATE_POST, post_input(public_community), token=outsider_mallory.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    await assert_nothing_written(public_community, before)


async def test_anonymous_is_unauthenticated(gql, public_community: Community):
    # given
    before = await written(public_community)
    # when
    error = await gql.error(CREATE_POST, post_input(public_community))
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    await assert_nothing_written(public_community, before)


async def test_unknown_community_is_not_found(gql, member_bob: Persona, public_community: Community):
    # when
    error = await gql.error(
        CREATE_POST, {"input": {"communitySlug": "nowhere", "title": "t", "body": "b"}}, token=member_bob.token
    )
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "communitySlug"}


async def test_announcements_are_for_moderators_and_up(
    gql, owner_alice: Persona, member_bob: Persona, moderator_carol: Persona, public_community: Community
):
    # given
    announcement = post_input(public_community, kind="ANNOUNCEMENT")
    # when
    refused = await gql.error(CREATE_POST, announcement, token=member_bob.token)
    by_moderator = await gql.data(CREATE_POST, announcement, token=moderator_carol.token)
    by_owner = await gql.data(CREATE_POST, announcement, token=owner_alice.token)
    # then
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert by_moderator["createPost"]["kind"] == by_owner["createPost"]["kind"] == "ANNOUNCEMENT"
    bobs_posts = await Post.filter(author_id=member_bob.member.id).values_list("id", flat=True)
    assert bobs_posts == [(await introduction_of(member_bob, public_community)).id]  # the join's, nothing else


@pytest.mark.parametrize("kind", ["INTRODUCTION", "DIGEST"])
async def test_system_kinds_are_refused(gql, owner_alice: Persona, public_community: Community, kind: str):
    # given
    before = await written(public_community)
    # when
    error = await gql.error(CREATE_POST, post_input(public_community, kind=kind), token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "kind"}
    await assert_nothing_written(public_community, before)


async def test_a_post_appends_one_posted_activity(gql, member_bob: Persona, public_community: Community):
    # given
    before = await content_verbs(public_community)
    # when
    post = (await gql.data(CREATE_POST, post_input(public_community), token=member_bob.token))["createPost"]
    # then
    assert await content_verbs(public_community) == [*before, "POSTED"]
    activity = await Activity.get(community_id=public_community.id, verb="POSTED")
    assert (activity.actor_id, activity.subject_type) == (member_bob.member.id, "post")
    assert from_global_id(post["id"]) == ("Post", activity.subject_id)
