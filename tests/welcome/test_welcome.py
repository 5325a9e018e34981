"""Welcomes: a newcomer gets an introduction post made from their profile, and first steps suggested to them.

A membership that becomes ACTIVE (open join, invitation, approval) is welcomed once:
an INTRODUCTION post by the newcomer, then a WELCOMED event right after JOINED,
delivered by `welcomes(communitySlug)` with the suggested first actions.
"""

from __future__ import annotations

import asyncio
import html
import re
from contextlib import aclosing
from datetime import UTC, datetime, timedelta

import pytest
from gql import GraphQLRequest
from gql.transport.exceptions import TransportQueryError

from models.activity import Activity
from models.communities import Community, Membership, MembershipStatus
from models.events import Event
from models.posts import Comment, Post, PostKind
from models.tasks import Task
from realtime.messages import encode_cursor
from resolvers.events.events import NewEvent, do_create_event
from resolvers.posts.comments import do_accept_answer
from resolvers.tasks.tasks import NewTask, do_create_task
from tests.communities.helpers import CREATE_COMMUNITY, DECIDE, JOIN, approval_community, invite_code, invite_community
from tests.factories import Persona, gid, introduction_of, join, make_comment, make_member, make_post
from tests.fixtures.server import Server, execute
from tests.realtime.test_activity_subscription import ACTIVITY, WAIT_SECONDS, subscribed

INTRODUCTIONS = """
query Introductions($slug: String!) {
  community(slug: $slug) {
    posts(kind: INTRODUCTION) {
      edges { node { id kind status title body bodyHtml tags publishedAt author { username } } }
    }
  }
}
"""
WELCOMES = """
subscription Welcomes($slug: String!, $after: String) {
  welcomes(communitySlug: $slug, after: $after) {
    member { username displayName }
    community { slug }
    introduction { id kind title author { username } }
    suggestedActions { kind title targetId }
  }
}
"""
POST_ADDED = """
subscription Posts($slug: String!, $after: String) {
  postAdded(communitySlug: $slug, after: $after) { id kind title author { username } }
}
"""
CREATE_POST = """
mutation Post($slug: String!, $title: String!) {
  createPost(input: {communitySlug: $slug, title: $title, body: "Let's talk"}) { id }
}
"""
DELETE_POST = "mutation Delete($id: ID!) { deletePost(postId: $id) }"
DELETE_COMMENT = "mutation Delete($id: ID!) { deleteComment(commentId: $id) }"
COMPLETE_PROFILE = {"kind": "COMPLETE_PROFILE", "title": "Add your skills so members can find you", "targetId": None}


async def introductions(gql, community: Community, token: str | None = None) -> list[dict]:
    """The community's INTRODUCTION posts, newest first, as a reader of its feed gets them."""
    data = await gql.data(INTRODUCTIONS, {"slug": community.slug}, token=token)
    return [edge["node"] for edge in data["community"]["posts"]["edges"]]


def paragraphs(body_html: str) -> list[str]:
    """The text a reader sees in each paragraph of rendered HTML: tags removed, entities decoded."""
    return [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", body_html, re.DOTALL)]


async def verbs_by(community: Community) -> list[tuple[str, str]]:
    """(verb, actor's username) of the community's activity, in sequence order."""
    rows = await Activity.filter(community_id=community.id).order_by("seq").values_list("verb", "actor__username")
    return [(str(verb), username) for verb, username in rows]


async def last_seq(community: Community) -> int:
    return (await Community.get(id=community.id)).activity_seq


def answer(question: Post) -> dict:
    return {"kind": "ANSWER_QUESTION", "title": f"Answer: {question.title}", "targetId": gid(question)}


def discussion(post: Post) -> dict:
    return {"kind": "JOIN_DISCUSSION", "title": f"Join the conversation: {post.title}", "targetId": gid(post)}


async def next_welcome(stream) -> dict:
    return (await asyncio.wait_for(anext(stream), WAIT_SECONDS))["welcomes"]


async def welcome_after(server: Server, viewer: Persona, community: Community, seq: int) -> dict:
    """The first Welcome after activity number `seq`, replayed to a real client by `welcomes(after:)`."""
    variables = {"slug": community.slug, "after": encode_cursor(community.id, seq)}
    async with subscribed(server, viewer) as session:
        async with aclosing(session.subscribe(GraphQLRequest(WELCOMES, variable_values=variables))) as stream:
            return await next_welcome(stream)


async def suggestions_on_joining(server: Server, newcomer: Persona, community: Community) -> list[dict]:
    """`newcomer` joins; the first steps their Welcome suggests, as they receive them."""
    before = await last_seq(community)
    await join(newcomer, community)
    return (await welcome_after(server, newcomer, community, before))["suggestedActions"]


async def accepted_answer_to(question: Post, author: Persona, answerer: Persona) -> None:
    reply = await make_comment(answerer, question, "Here is how")
    await do_accept_answer(author.ctx, gid(reply))


async def age_comments(post: Post, days: int) -> None:
    """Move a post's comments back in time: there is no way to write a comment in the past."""
    await Comment.filter(post_id=post.id).update(created_at=datetime.now(UTC) - timedelta(days=days))


# The introduction post


async def test_joining_an_open_community_introduces_the_newcomer_from_their_profile(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    dave = await make_member(
        "dave",
        skills=["python", "postgres", "c++"],
        display_name="Dave Null",
        bio="I build **web** apps.",
        experience="10 years at *Acme*",
    )
    # when
    data = await gql.data(JOIN, {"slug": public_community.slug}, token=dave.token)
    # then: exactly one introduction by dave, newest first before bob's
    assert data["joinCommunity"]["status"] == "ACTIVE"
    daves, bobs = await introductions(gql, public_community, owner_alice.token)
    assert bobs["author"] == {"username": "bob"}
    assert await Post.filter(author_id=dave.member.id).count() == 1
    assert daves["author"] == {"username": "dave"}
    assert (daves["kind"], daves["status"]) == ("INTRODUCTION", "PUBLISHED") and daves["publishedAt"]
    assert daves["title"] == "Introducing Dave Null"
    assert daves["tags"] == ["python", "postgres", "c++"]
    shown = paragraphs(daves["bodyHtml"])
    assert shown[0] == "Dave Null (@dave) just joined Python Paris."
    assert "I build web apps." in shown and "<strong>web</strong>" in daves["bodyHtml"]  # the bio is their markdown
    assert "Skills: python, postgres, c++" in shown
    assert "Experience: 10 years at Acme" in shown and "<em>Acme</em>" in daves["bodyHtml"]


async def test_an_empty_profile_gives_a_short_introduction_without_tags(
    gql, owner_alice: Persona, public_community: Community
):
    # given: erin registered with a username only
    erin = await make_member("erin")
    # when
    await gql.data(JOIN, {"slug": public_community.slug}, token=erin.token)
    # then
    introduction = (await introductions(gql, public_community))[0]
    assert introduction["title"] == "Introducing erin"
    assert introduction["tags"] == []
    assert paragraphs(introduction["bodyHtml"]) == [
        "erin (@erin) just joined Python Paris.",
        "Say hello and make them feel at home!",
    ]


async def test_an_introduction_is_tagged_with_the_first_ten_skills(gql, public_community: Community):
    # given: twelve skills, two more than a post's tags
    skills = [f"skill{i}" for i in range(12)]
    frank = await make_member("frank", skills=skills)
    # when
    await gql.data(JOIN, {"slug": public_community.slug}, token=frank.token)
    # then: all skills in the text, the first ten as tags
    introduction = (await introductions(gql, public_community))[0]
    assert introduction["tags"] == skills[:10]
    assert "Skills: " + ", ".join(skills) in paragraphs(introduction["bodyHtml"])


@pytest.mark.parametrize(
    "display_name",
    [
        "*Ada* _the_ [great](https://example.org) <b>#1</b> \\o/",
        "Tom &amp; Jerry &copy; 2026",
        "1. `first` ~~second~~ | third",
    ],
)
async def test_markdown_in_a_display_name_is_shown_as_typed(gql, public_community: Community, display_name: str):
    # given
    ada = await make_member("ada", display_name=display_name)
    # when
    await gql.data(JOIN, {"slug": public_community.slug}, token=ada.token)
    # then: nothing of the name is formatted, linked or decoded
    introduction = (await introductions(gql, public_community))[0]
    assert introduction["title"] == f"Introducing {display_name}"
    assert paragraphs(introduction["bodyHtml"])[0] == f"{display_name} (@ada) just joined Python Paris."
    assert not re.search(r"<(em|a|b|code|del|ol|li|table)\b", introduction["bodyHtml"])


async def test_the_owner_creating_a_community_gets_no_introduction(gql, owner_alice: Persona):
    # when
    created = await gql.data(CREATE_COMMUNITY, {"input": {"name": "Rust Lyon"}}, token=owner_alice.token)
    # then
    community = await Community.get(slug=created["createCommunity"]["slug"])
    assert await introductions(gql, community) == []
    assert await Post.all().count() == 0
    assert await verbs_by(community) == [("JOINED", "alice")]


# When a welcome happens, and only once


async def test_an_approval_welcomes_and_a_pending_request_does_not(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await approval_community(owner_alice)
    # when: bob asks
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    # then: nothing yet
    assert request["status"] == "PENDING"
    assert await Post.filter(author_id=member_bob.member.id).count() == 0
    assert await verbs_by(community) == [("JOINED", "alice")]
    # when: alice approves
    await gql.data(DECIDE, {"id": request["id"], "approve": True}, token=owner_alice.token)
    # then: bob is introduced, his WELCOMED right after his JOINED
    assert [p["author"]["username"] for p in await introductions(gql, community)] == ["bob"]
    assert await verbs_by(community) == [("JOINED", "alice"), ("JOINED", "bob"), ("WELCOMED", "bob")]


async def test_a_member_rejected_then_approved_later_is_welcomed_once(gql, owner_alice: Persona, member_bob: Persona):
    # given: bob asked and was rejected
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    await gql.data(DECIDE, {"id": request["id"], "approve": False}, token=owner_alice.token)
    assert await Post.filter(author_id=member_bob.member.id).count() == 0
    # when: he asks again and is approved
    again = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    await gql.data(DECIDE, {"id": again["id"], "approve": True}, token=owner_alice.token)
    # then
    assert [p["author"]["username"] for p in await introductions(gql, community)] == ["bob"]
    assert await verbs_by(community) == [("JOINED", "alice"), ("JOINED", "bob"), ("WELCOMED", "bob")]


async def test_a_member_active_again_is_not_welcomed_a_second_time(gql, owner_alice: Persona, member_bob: Persona):
    # given: bob joined and was welcomed; then his membership ended as REJECTED (set directly:
    # there is no way to leave yet), and he comes back with an invitation
    community = await approval_community(owner_alice)
    request = (await gql.data(JOIN, {"slug": community.slug}, token=member_bob.token))["joinCommunity"]
    await gql.data(DECIDE, {"id": request["id"], "approve": True}, token=owner_alice.token)
    await Membership.filter(member_id=member_bob.member.id).update(status=MembershipStatus.REJECTED)
    code = await invite_code(gql, owner_alice, community)
    # when
    data = await gql.data(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # then: he joined again, and still has the one introduction and the one WELCOMED
    assert data["joinCommunity"]["status"] == "ACTIVE"
    assert len(await introductions(gql, community)) == 1
    assert await verbs_by(community) == [
        ("JOINED", "alice"),
        ("JOINED", "bob"),
        ("WELCOMED", "bob"),
        ("JOINED", "bob"),
    ]


async def test_joining_with_an_invitation_welcomes(gql, owner_alice: Persona, member_bob: Persona):
    # given
    community = await invite_community(owner_alice)
    code = await invite_code(gql, owner_alice, community)
    # when
    await gql.data(JOIN, {"slug": community.slug, "code": code}, token=member_bob.token)
    # then
    assert [p["title"] for p in await introductions(gql, community)] == ["Introducing Bob"]
    assert await verbs_by(community) == [("JOINED", "alice"), ("JOINED", "bob"), ("WELCOMED", "bob")]


async def test_welcomed_follows_joined_and_points_at_the_introduction(
    live_server: Server, owner_alice: Persona, public_community: Community
):
    # given
    dave = await make_member("dave", display_name="Dave")
    before = await last_seq(public_community)
    # when
    await join(dave, public_community)
    # then: the activity feed replays JOINED, then WELCOMED with the introduction as subject
    variables = {"slug": public_community.slug, "after": encode_cursor(public_community.id, before)}
    async with subscribed(live_server, owner_alice) as session:
        async with aclosing(session.subscribe(GraphQLRequest(ACTIVITY, variable_values=variables))) as stream:
            joined, welcomed = [(await asyncio.wait_for(anext(stream), WAIT_SECONDS))["activity"] for _ in range(2)]
    membership = await Membership.get(member_id=dave.member.id, community_id=public_community.id)
    introduction = await introduction_of(dave, public_community)
    assert (joined["verb"], joined["actor"], joined["subjectId"]) == ("JOINED", {"username": "dave"}, gid(membership))
    assert (welcomed["verb"], welcomed["actor"]) == ("WELCOMED", {"username": "dave"})
    assert welcomed["summary"] == "Dave is new here: say hello"
    assert welcomed["subjectId"] == gid(introduction)
    assert [joined["cursor"], welcomed["cursor"]] == [
        encode_cursor(public_community.id, before + 1),
        encode_cursor(public_community.id, before + 2),
    ]
    row = await Activity.get(community_id=public_community.id, verb="WELCOMED", actor_id=dave.member.id)
    assert row.payload["membership_id"] == membership.id


# Suggested first actions


async def test_open_questions_matching_the_skills_are_suggested_newest_first(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: four open questions on dave's skills, an answered one, one on another topic,
    # and a discussion with two comments
    open_questions = [
        await make_post(owner_alice, public_community, f"Question {i}", kind=PostKind.QUESTION, tags=tags)
        for i, tags in enumerate([["python"], ["sql"], ["python", "sql"], ["sql", "help"]])
    ]
    answered = await make_post(owner_alice, public_community, "Answered", kind=PostKind.QUESTION, tags=["python"])
    await accepted_answer_to(answered, owner_alice, member_bob)
    await make_post(owner_alice, public_community, "Rust?", kind=PostKind.QUESTION, tags=["rust"])
    lively = await make_post(owner_alice, public_community, "Our next meetup")
    await make_comment(member_bob, lively, "Count me in")
    await make_comment(owner_alice, lively, "Great")
    dave = await make_member("dave", skills=["python", "sql"])
    # when
    suggested = await suggestions_on_joining(live_server, dave, public_community)
    # then: the three newest open matching questions, then the discussion
    assert suggested == [*(answer(q) for q in reversed(open_questions[1:])), discussion(lively)]


async def test_an_open_question_is_suggested_however_many_newer_ones_are_answered(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: an open python question, then nine newer ones already answered
    still_open = await make_post(owner_alice, public_community, "Still open", kind=PostKind.QUESTION, tags=["python"])
    for i in range(9):
        question = await make_post(
            owner_alice, public_community, f"Solved {i}", kind=PostKind.QUESTION, tags=["python"]
        )
        await accepted_answer_to(question, owner_alice, member_bob)
    dave = await make_member("dave", skills=["python"])
    # when
    suggested = await suggestions_on_joining(live_server, dave, public_community)
    # then
    assert [s for s in suggested if s["kind"] == "ANSWER_QUESTION"] == [answer(still_open)]


async def test_the_discussion_suggested_has_the_most_comments_of_the_last_seven_days(
    gql, live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: a post much commented two weeks ago, a question (on a skill dave lacks) with two
    # comments this week, and a newer discussion with one comment and two deleted ones
    old_favourite = await make_post(owner_alice, public_community, "Old favourite")
    for _ in range(3):
        await make_comment(member_bob, old_favourite)
    await age_comments(old_favourite, days=14)
    this_week = await make_post(owner_alice, public_community, "Async or threads?", kind=PostKind.QUESTION)
    for _ in range(2):
        await make_comment(member_bob, this_week)
    newest = await make_post(owner_alice, public_community, "Newest")
    await make_comment(member_bob, newest)
    for _ in range(2):
        deleted = await make_comment(member_bob, newest, "Oops")
        await gql.data(DELETE_COMMENT, {"id": gid(deleted)}, token=member_bob.token)
    dave = await make_member("dave", skills=["cooking"])
    # when
    suggested = await suggestions_on_joining(live_server, dave, public_community)
    # then: skills but no matching question: the discussion alone, no profile advice
    assert suggested == [discussion(this_week)]


async def test_without_comments_this_week_the_newest_discussion_is_suggested(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: old comments only, and posts of other kinds newer than the newest discussion
    commented_long_ago = await make_post(owner_alice, public_community, "Long ago")
    await make_comment(member_bob, commented_long_ago)
    await age_comments(commented_long_ago, days=8)
    newest_discussion = await make_post(owner_alice, public_community, "Newest discussion")
    await make_post(owner_alice, public_community, "A question", kind=PostKind.QUESTION, tags=["rust"])
    await make_post(owner_alice, public_community, "News", kind=PostKind.ANNOUNCEMENT)
    dave = await make_member("dave", skills=["python"])
    # when
    suggested = await suggestions_on_joining(live_server, dave, public_community)
    # then
    assert suggested == [discussion(newest_discussion)]


async def test_a_question_suggested_to_answer_is_not_suggested_again_as_the_discussion(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: the busiest post of the week is a python question, the next a discussion
    busiest = await make_post(
        owner_alice, public_community, "Python packaging?", kind=PostKind.QUESTION, tags=["python"]
    )
    for _ in range(3):
        await make_comment(member_bob, busiest)
    next_busiest = await make_post(owner_alice, public_community, "Show and tell")
    await make_comment(member_bob, next_busiest)
    dave = await make_member("dave", skills=["python"])
    # when
    suggested = await suggestions_on_joining(live_server, dave, public_community)
    # then
    assert suggested == [answer(busiest), discussion(next_busiest)]


async def test_a_newcomer_without_skills_is_asked_to_complete_their_profile(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    erin = await make_member("erin")
    # when: nothing to discuss yet (bob's introduction is no discussion)
    alone = await suggestions_on_joining(live_server, erin, public_community)
    # and frank joins once there is a discussion
    talk = await make_post(owner_alice, public_community, "Welcome thread")
    frank = await make_member("frank")
    with_talk = await suggestions_on_joining(live_server, frank, public_community)
    # then
    assert alone == [COMPLETE_PROFILE]
    assert with_talk == [COMPLETE_PROFILE, discussion(talk)]


# Following welcomes live


async def test_a_subscriber_gets_each_welcome_replayed_then_live(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: a question for pythonistas, and dave, who joined before alice subscribed
    question = await make_post(
        owner_alice, public_community, "Profiling asyncio?", kind=PostKind.QUESTION, tags=["python"]
    )
    before = await last_seq(public_community)
    dave = await make_member("dave", skills=["python"], display_name="Dave")
    erin = await make_member("erin", display_name="Erin")
    assert "errors" not in await execute(live_server, JOIN, {"slug": public_community.slug}, dave.token)
    variables = {"slug": public_community.slug, "after": encode_cursor(public_community.id, before)}
    async with subscribed(live_server, owner_alice) as session:
        async with aclosing(session.subscribe(GraphQLRequest(WELCOMES, variable_values=variables))) as stream:
            daves = await next_welcome(stream)
            # when: alice posts (no welcome), then erin joins
            created = await execute(
                live_server, CREATE_POST, {"slug": public_community.slug, "title": "Hi all"}, owner_alice.token
            )
            joined = await execute(live_server, JOIN, {"slug": public_community.slug}, erin.token)
            assert joined["data"]["joinCommunity"]["status"] == "ACTIVE", joined
            erins = await next_welcome(stream)
    # then
    assert daves == {
        "member": {"username": "dave", "displayName": "Dave"},
        "community": {"slug": "python-paris"},
        "introduction": {
            "id": gid(await introduction_of(dave, public_community)),
            "kind": "INTRODUCTION",
            "title": "Introducing Dave",
            "author": {"username": "dave"},
        },
        "suggestedActions": [answer(question)],
    }
    hi_all = created["data"]["createPost"]["id"]
    assert erins["member"] == {"username": "erin", "displayName": "Erin"}
    assert erins["introduction"]["id"] == gid(await introduction_of(erin, public_community))
    assert erins["suggestedActions"] == [
        COMPLETE_PROFILE,
        {"kind": "JOIN_DISCUSSION", "title": "Join the conversation: Hi all", "targetId": hi_all},
    ]


async def test_a_welcome_whose_introduction_was_deleted_has_none(
    gql, live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: bob deleted his introduction
    introduction = await introduction_of(member_bob, public_community)
    await gql.data(DELETE_POST, {"id": gid(introduction)}, token=member_bob.token)
    # when: his welcome is replayed from the start (after alice's JOINED and bob's)
    welcome = await welcome_after(live_server, owner_alice, public_community, 2)
    # then
    assert welcome["member"]["username"] == "bob"
    assert welcome["introduction"] is None


async def test_post_added_delivers_the_introduction(
    live_server: Server, owner_alice: Persona, public_community: Community
):
    # given
    dave = await make_member("dave", display_name="Dave")
    variables = {
        "slug": public_community.slug,
        "after": encode_cursor(public_community.id, await last_seq(public_community)),
    }
    async with subscribed(live_server, owner_alice) as session:
        async with aclosing(session.subscribe(GraphQLRequest(POST_ADDED, variable_values=variables))) as stream:
            # when
            assert "errors" not in await execute(live_server, JOIN, {"slug": public_community.slug}, dave.token)
            added = (await asyncio.wait_for(anext(stream), WAIT_SECONDS))["postAdded"]
    # then
    assert added == {
        "id": gid(await introduction_of(dave, public_community)),
        "kind": "INTRODUCTION",
        "title": "Introducing Dave",
        "author": {"username": "dave"},
    }


async def test_members_follow_the_welcomes_of_a_private_community_and_outsiders_are_forbidden(
    live_server: Server, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, private_community
):
    # given: bob joined the private community with an invitation
    # when / then: alice sees his welcome (after her own JOINED)
    welcome = await welcome_after(live_server, owner_alice, private_community, 1)
    assert welcome["member"]["username"] == "bob"
    assert welcome["introduction"]["id"] == gid(await introduction_of(member_bob, private_community))
    # and an outsider or an anonymous visitor is refused at subscribe time
    for persona in (outsider_mallory, None):
        async with subscribed(live_server, persona) as session:
            with pytest.raises(TransportQueryError) as refused:
                request = GraphQLRequest(WELCOMES, variable_values={"slug": private_community.slug})
                async with aclosing(session.subscribe(request)) as stream:
                    await next_welcome(stream)
        assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_open_task_needing_the_newcomers_skills_is_suggested(
    live_server: Server, owner_alice: Persona, public_community: Community
):
    # given: an open task needing SQL (written another way), and one needing a skill dave lacks
    for title, skills in (("Tune the database", ["SQL"]), ("Design the badge", ["illustration"])):
        await do_create_task(
            owner_alice.ctx, NewTask(community_slug=public_community.slug, title=title, required_skills=skills)
        )
    dave = await make_member("dave", skills=["python", "sql"])
    # when
    suggested = await suggestions_on_joining(live_server, dave, public_community)
    # then
    task = await Task.get(title="Tune the database")
    assert {"kind": "VOLUNTEER_FOR_TASK", "title": "Lend a hand: Tune the database", "targetId": gid(task)} in suggested
    assert not any(s["title"].endswith("Design the badge") for s in suggested)


async def test_the_next_event_is_suggested(live_server: Server, owner_alice: Persona, public_community: Community):
    # given: an event next month and one tomorrow
    for title, days in (("Summer party", 30), ("Coffee chat", 1)):
        starts = datetime.now(UTC) + timedelta(days=days)
        event = NewEvent(public_community.slug, title, starts_at=starts, ends_at=starts + timedelta(hours=1))
        await do_create_event(owner_alice.ctx, event)
    # when
    suggested = await suggestions_on_joining(live_server, await make_member("dave"), public_community)
    # then: the soonest one
    event = await Event.get(title="Coffee chat")
    assert {"kind": "ATTEND_EVENT", "title": "Meet the community: Coffee chat", "targetId": gid(event)} in suggested
