"""addComment (threads, counts) and acceptAnswer."""

from __future__ import annotations

import asyncio

from models.communities import Community
from models.posts import Comment, PostKind
from resolvers.posts import posts
from resolvers.posts.comments import do_accept_answer
from tests.factories import Persona, gid, join, make_comment, make_member, make_post
from tests.posts.conftest import ban

ADD_COMMENT = """
mutation AddComment($input: AddCommentInput!) {
  addComment(input: $input) { id body bodyHtml accepted author { username } parent { id } post { id } }
}
"""
POST_COMMENTS = """
query Post($id: ID!) {
  post(id: $id) {
    commentCount
    acceptedAnswer { id }
    comments { totalCount edges { node { id body parent { id } accepted } } }
  }
}
"""
ACCEPT_ANSWER = "mutation Accept($id: ID!) { acceptAnswer(commentId: $id) { id accepted } }"


async def test_add_comment_and_reply(gql, owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given
    post = await make_post(owner_alice, public_community)
    # when
    top = (await gql.data(ADD_COMMENT, {"input": {"postId": gid(post), "body": "**Nice**"}}, token=member_bob.token))[
        "addComment"
    ]
    reply = (
        await gql.data(
            ADD_COMMENT,
            {"input": {"postId": gid(post), "body": "Thanks", "parentId": top["id"]}},
            token=owner_alice.token,
        )
    )["addComment"]
    # then
    assert top["bodyHtml"] == "<p><strong>Nice</strong></p>\n"
    assert (top["parent"], top["post"], top["author"]) == (None, {"id": gid(post)}, {"username": "bob"})
    assert reply["parent"] == {"id": top["id"]}
    data = (await gql.data(POST_COMMENTS, {"id": gid(post)}))["post"]
    assert data["commentCount"] == data["comments"]["totalCount"] == 2
    assert [e["node"]["id"] for e in data["comments"]["edges"]] == [top["id"], reply["id"]]


async def test_a_parent_from_another_post_is_bad_user_input(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post, other = await make_post(owner_alice, public_community), await make_post(owner_alice, public_community)
    elsewhere = await make_comment(member_bob, other)
    # when
    error = await gql.error(
        ADD_COMMENT, {"input": {"postId": gid(post), "body": "x", "parentId": gid(elsewhere)}}, token=member_bob.token
    )
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "parentId"}
    assert await Comment.filter(post_id=post.id).count() == 0


async def test_comment_body_limits_name_the_field(gql, member_bob: Persona, public_community: Community):
    # given
    post = await make_post(member_bob, public_community)
    # when
    empty = await gql.error(ADD_COMMENT, {"input": {"postId": gid(post), "body": "  "}}, token=member_bob.token)
    long = await gql.error(ADD_COMMENT, {"input": {"postId": gid(post), "body": "x" * 20_001}}, token=member_bob.token)
    # then
    assert empty["extensions"] == long["extensions"] == {"code": "BAD_USER_INPUT", "field": "body"}
    assert await Comment.all().count() == 0


async def test_non_members_cannot_comment_and_anonymous_must_log_in(
    gql, member_bob: Persona, outsider_mallory: Persona, public_community: Community
):
    # given
    post = await make_post(member_bob, public_community)
    variables = {"input": {"postId": gid(post), "body": "hi"}}
    # when
    by_outsider = await gql.error(ADD_COMMENT, variables, token=outsider_mallory.token)
    by_anonymous = await gql.error(ADD_COMMENT, variables)
    # then
    assert by_outsider["extensions"]["code"] == "FORBIDDEN"
    assert by_anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Comment.all().count() == 0


async def test_comment_count_ignores_deleted_comments(gql, member_bob: Persona, public_community: Community):
    # given
    post = await make_post(member_bob, public_community)
    kept, deleted = await make_comment(member_bob, post), await make_comment(member_bob, post)
    await posts.do_delete(member_bob.ctx, gid(deleted), "Comment")
    # when
    data = (await gql.data(POST_COMMENTS, {"id": gid(post)}))["post"]
    # then
    assert data["commentCount"] == data["comments"]["totalCount"] == 1
    assert [e["node"]["id"] for e in data["comments"]["edges"]] == [gid(kept)]


async def question_with_answers(asker: Persona, answerer: Persona, community: Community, n: int = 2):
    question = await make_post(asker, community, "How?", kind=PostKind.QUESTION)
    return question, [await make_comment(answerer, question, f"answer {i}") for i in range(n)]


async def test_the_asker_accepts_an_answer(gql, owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given
    question, (answer, _) = await question_with_answers(owner_alice, member_bob, public_community)
    # when
    accepted = (await gql.data(ACCEPT_ANSWER, {"id": gid(answer)}, token=owner_alice.token))["acceptAnswer"]
    # then
    assert accepted == {"id": gid(answer), "accepted": True}
    data = (await gql.data(POST_COMMENTS, {"id": gid(question)}))["post"]
    assert data["acceptedAnswer"] == {"id": gid(answer)}


async def test_switching_the_accepted_answer_leaves_exactly_one(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    question, (first, second) = await question_with_answers(owner_alice, member_bob, public_community)
    await gql.data(ACCEPT_ANSWER, {"id": gid(first)}, token=owner_alice.token)
    # when
    await gql.data(ACCEPT_ANSWER, {"id": gid(second)}, token=owner_alice.token)
    # then
    data = (await gql.data(POST_COMMENTS, {"id": gid(question)}))["post"]
    assert data["acceptedAnswer"] == {"id": gid(second)}
    assert [e["node"]["accepted"] for e in data["comments"]["edges"]] == [False, True]


async def test_accepting_two_answers_at_once_leaves_exactly_one(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    question, answers = await question_with_answers(owner_alice, member_bob, public_community, n=4)
    # when
    await asyncio.gather(*(do_accept_answer(owner_alice.ctx, gid(a)) for a in answers))
    # then
    assert await Comment.filter(post_id=question.id, accepted=True).count() == 1


async def test_only_the_asker_accepts(gql, owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given: even the community's owner cannot accept on someone else's question
    question, (answer, _) = await question_with_answers(member_bob, owner_alice, public_community)
    dave = await make_member("dave")
    await join(dave, public_community)
    # when
    by_owner = await gql.error(ACCEPT_ANSWER, {"id": gid(answer)}, token=owner_alice.token)
    by_member = await gql.error(ACCEPT_ANSWER, {"id": gid(answer)}, token=dave.token)
    by_anonymous = await gql.error(ACCEPT_ANSWER, {"id": gid(answer)})
    # then
    assert by_owner["extensions"]["code"] == by_member["extensions"]["code"] == "FORBIDDEN"
    assert by_anonymous["extensions"]["code"] in {"UNAUTHENTICATED", "FORBIDDEN"}
    assert await Comment.filter(post_id=question.id, accepted=True).count() == 0


async def test_answers_are_accepted_on_questions_only(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    discussion = await make_post(owner_alice, public_community, kind=PostKind.DISCUSSION)
    comment = await make_comment(member_bob, discussion)
    # when
    error = await gql.error(ACCEPT_ANSWER, {"id": gid(comment)}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "commentId"}
    assert await Comment.filter(accepted=True).count() == 0


async def test_a_deleted_accepted_answer_is_no_longer_the_answer(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    question, (answer, _) = await question_with_answers(owner_alice, member_bob, public_community)
    await do_accept_answer(owner_alice.ctx, gid(answer))
    # when
    await posts.do_delete(member_bob.ctx, gid(answer), "Comment")
    # then
    data = (await gql.data(POST_COMMENTS, {"id": gid(question)}))["post"]
    assert data["acceptedAnswer"] is None


async def test_a_banned_asker_cannot_accept(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    question, (answer, _) = await question_with_answers(member_bob, owner_alice, public_community)
    await ban(member_bob, public_community)
    # when
    error = await gql.error(ACCEPT_ANSWER, {"id": gid(answer)}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await Comment.filter(post_id=question.id, accepted=True).count() == 0


ACCEPT_IN_TURN = """
mutation AcceptInTurn($first: ID!, $second: ID!) {
  a: acceptAnswer(commentId: $first) { id accepted post { acceptedAnswer { id } } }
  b: acceptAnswer(commentId: $second) { id accepted post { acceptedAnswer { id } } }
  c: acceptAnswer(commentId: $first) { id accepted post { acceptedAnswer { id } } }
}
"""


async def test_accepting_answers_in_turn_in_one_request_ends_on_the_last(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    question, (first, second) = await question_with_answers(owner_alice, member_bob, public_community)
    # when
    data = await gql.data(ACCEPT_IN_TURN, {"first": gid(first), "second": gid(second)}, token=owner_alice.token)
    # then
    assert data["a"]["post"]["acceptedAnswer"] == {"id": gid(first)}
    assert data["b"]["post"]["acceptedAnswer"] == {"id": gid(second)}
    assert data["c"]["post"]["acceptedAnswer"] == {"id": gid(first)}
    assert await Comment.filter(post_id=question.id, accepted=True).values_list("id", flat=True) == [first.id]


COMMENT_TWICE = """
mutation CommentTwice($id: ID!) {
  a: addComment(input: {postId: $id, body: "one"}) { post { commentCount } }
  b: addComment(input: {postId: $id, body: "two"}) { post { commentCount } }
}
"""


async def test_comments_in_one_request_each_count_the_ones_before(
    gql, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(member_bob, public_community)
    # when
    data = await gql.data(COMMENT_TWICE, {"id": gid(post)}, token=member_bob.token)
    # then
    assert [data["a"]["post"]["commentCount"], data["b"]["post"]["commentCount"]] == [1, 2]
