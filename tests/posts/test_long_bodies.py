"""Long bodies are rendered in a render process: the same sanitised HTML, and posting survives its death."""

from __future__ import annotations

import multiprocessing

from models.communities import Community
from resolvers.markdown import SHORT_SOURCE_CHARS
from tests.factories import Persona

CREATE_POST = "mutation Create($input: CreatePostInput!) { createPost(input: $input) { id body bodyHtml } }"
ADD_COMMENT = "mutation Add($input: AddCommentInput!) { addComment(input: $input) { bodyHtml } }"
HOSTILE = "**bold** <script>alert('x')</script> [click](javascript:alert(1))\n\n"
LONG_BODY = HOSTILE * (SHORT_SOURCE_CHARS // len(HOSTILE) + 1)


def assert_rendered_and_sanitised(html: str) -> None:
    assert html.count("<strong>bold</strong>") == LONG_BODY.count("**bold**")
    assert "<script" not in html and 'href="javascript' not in html


async def create_post(gql, author: Persona, community: Community) -> dict:  # noqa: ANN001
    variables = {"input": {"communitySlug": community.slug, "title": "Long", "body": LONG_BODY}}
    return (await gql.data(CREATE_POST, variables, token=author.token))["createPost"]


async def test_a_long_post_and_comment_are_rendered_and_sanitised(gql, member_bob: Persona, public_community):
    # given: a body past the short lane
    assert len(LONG_BODY) > SHORT_SOURCE_CHARS
    # when
    post = await create_post(gql, member_bob, public_community)
    comment_input = {"input": {"postId": post["id"], "body": LONG_BODY}}
    comment = (await gql.data(ADD_COMMENT, comment_input, token=member_bob.token))["addComment"]
    # then
    assert post["body"] == LONG_BODY.strip()
    assert_rendered_and_sanitised(post["bodyHtml"])
    assert_rendered_and_sanitised(comment["bodyHtml"])


async def test_posting_a_long_body_works_again_after_the_render_process_died(gql, member_bob, public_community):
    # given: a render process, then killed (out of memory, say)
    await create_post(gql, member_bob, public_community)
    renderers = multiprocessing.active_children()
    assert renderers, "a long body was rendered in this process"
    for renderer in renderers:
        renderer.kill()
        renderer.join(10)
    # when
    post = await create_post(gql, member_bob, public_community)
    # then: a new render process took over
    assert_rendered_and_sanitised(post["bodyHtml"])
