"""previewMarkdown: exactly the HTML createPost publishes, the same checks, nothing written."""

from __future__ import annotations

import pytest

import settings
from models.communities import Community
from resolvers.ratelimit import reset_limits
from tests.factories import Persona
from tests.posts.conftest import written
from tests.posts.test_create_post import CREATE_POST, post_input

PREVIEW = "query Preview($body: String!) { previewMarkdown(body: $body) }"

HOSTILE_BODY = (
    "# Title\n\n**bold** and `code` and [a link](https://example.org)\n\n"
    "<script>alert('x')</script>\n\n"
    "[click me](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n"
    "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n"
)


async def test_the_preview_is_the_published_body_html(gql, member_bob: Persona, public_community: Community):
    # given
    before = await written(public_community)
    # when
    preview = (await gql.data(PREVIEW, {"body": HOSTILE_BODY}, token=member_bob.token))["previewMarkdown"]
    # then
    assert await written(public_community) == before
    post = (await gql.data(CREATE_POST, post_input(public_community, body=HOSTILE_BODY), token=member_bob.token))[
        "createPost"
    ]
    assert preview == post["bodyHtml"]
    assert "<strong>bold</strong>" in preview and "<td>1</td>" in preview and "<td><s>2</s></td>" in preview
    assert "<script" not in preview.lower() and 'href="javascript' not in preview.lower()


async def test_the_longest_body_is_previewed(gql, member_bob: Persona):
    # when
    preview = (await gql.data(PREVIEW, {"body": "b" * 50_000}, token=member_bob.token))["previewMarkdown"]
    # then
    assert preview == "<p>" + "b" * 50_000 + "</p>\n"


@pytest.mark.parametrize("body", ["x" * 50_001, "   ", "bell\x07"])
async def test_bad_bodies_are_refused_as_a_post_body_is(gql, member_bob: Persona, body: str):
    # when
    error = await gql.error(PREVIEW, {"body": body}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_anonymous_is_unauthenticated(gql):
    # when
    error = await gql.error(PREVIEW, {"body": "hello"})
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_previews_are_rate_limited_apart_from_mutations(
    gql, member_bob: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    # given
    monkeypatch.setattr(settings, "RATE_LIMIT_MUTATIONS", "2/minute")
    reset_limits()
    for _ in range(2):
        await gql.data(PREVIEW, {"body": "draft"}, token=member_bob.token)
    # when
    error = await gql.error(PREVIEW, {"body": "draft"}, token=member_bob.token)
    post = await gql.data(CREATE_POST, post_input(public_community), token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert post["createPost"]["status"] == "PUBLISHED"
