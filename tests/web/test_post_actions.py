"""The web app in Chromium: comments, replies, reactions, an accepted answer, kudos, a draft, a tag filter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.communities import Community, Level, Membership
from models.posts import Comment, Post, PostKind, PostStatus
from tests.factories import PASSWORD, Persona, gid, make_comment, make_post
from tests.fixtures.server import Server, execute, run_node
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "comments": "comments",
    "comment": "Your comment",
    "send": "Send",
    "reply": "Reply",
    "replyTo": "Your reply to Alice",
    "react": "React",
    "accept": "Accept this answer",
    "accepted": "Accepted answer",
    "delete": "Delete",
    "kudosMessage": "Your thanks",
    "kudosSend": "Send kudos",
    "feed": "Posts",
    "clearFilter": "Show all posts",
    "title": "Title",
    "save": "Save",
    "publish": "Publish now",
    "editDraft": "Edit the draft",
    "byTag": "Filter by tag",
    "byKind": "Filter by kind",
    "discussion": "Discussion",
}
TEXTS = {
    "first": "My first thoughts",
    "mistake": "Posted by mistake",
    "answer": "Read the official tutorial",
    "reply": "Those thoughts helped",
    "kudos": "Thanks for asking",
    "kudosSent": "Your kudos were sent to Alice.",
    "draftTitle": "Meetup notes, final",
    "liveOff": "Photos of the picnic",
    "liveOn": "Help with asyncio",
}
KUDOS = """query Kudos($slug: String!) {
  community(slug: $slug) { kudos(first: 5) { edges { node { message from { username } to { username } } } } }
}"""


async def test_members_comment_react_accept_thank_and_filter_by_tag(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given alice's question, with two comments of hers, and another post with another tag
    question = await make_post(owner_alice, public_community, "Where to start?", kind=PostKind.QUESTION, tags=["help"])
    await make_post(owner_alice, public_community, "Meetup photos", tags=["photos"])
    for body in (TEXTS["first"], TEXTS["mistake"]):
        await make_comment(owner_alice, question, body)
    draft = await make_post(owner_alice, public_community, "Meetup notes")
    await Post.filter(id=draft.id).update(status=PostStatus.DRAFT, published_at=None)
    # and bob has contributed enough to give kudos (level MEMBER)
    await Membership.filter(member_id=member_bob.member.id, community_id=public_community.id).update(level=Level.MEMBER)
    # when bob comments, replies, reacts and thanks alice, alice accepts his answer and deletes a comment
    returncode, stdout, stderr = await run_node(
        "web_post_actions.mjs",
        json.dumps(
            {
                "executablePath": chromium,
                "origin": live_server.graphql_url.removesuffix("/graphql"),
                "labels": ENGLISH,
                "texts": TEXTS,
                "password": PASSWORD,
                "postId": gid(question),
                "draftId": gid(draft),
                "author": owner_alice.member.username,
                "member": member_bob.member.username,
                "slug": public_community.slug,
                "tag": "help",
                "question": "Where to start?",
            }
        ),
    )
    try:
        report = json.loads(stdout)
    except ValueError:
        pytest.fail(f"web_post_actions.mjs printed no report (exit {returncode}): {stderr.decode()[-2000:]}")
    assert report["ok"], report["error"]
    # then bob's comment and reply each showed once, the reply under the comment it answers
    assert (report["commentShown"], report["replyShown"], report["replyNested"]) == (1, 1, True)
    answer = await Comment.get(body=TEXTS["answer"], deleted_at=None)
    reply = await Comment.get(body=TEXTS["reply"]).prefetch_related("parent")
    assert reply.parent is not None and reply.parent.body == TEXTS["first"]
    # and his like is pressed and counted
    assert (report["likePressed"], report["likeCount"]) == ("true", "1")
    # and alice accepted his answer, and her deleted comment is gone
    assert report["acceptedMarked"] and answer.accepted
    assert report["deletedGone"]
    assert await Comment.filter(body=TEXTS["mistake"], deleted_at=None).count() == 0
    # and alice received bob's kudos, which she was not offered to give herself
    assert report["kudosSent"] == TEXTS["kudosSent"] and report["kudosOfferedToAuthor"] == 0
    answered = await execute(live_server, KUDOS, {"slug": public_community.slug}, token=member_bob.token)
    kudos = [edge["node"] for edge in answered["data"]["community"]["kudos"]["edges"]]
    assert kudos == [{"message": TEXTS["kudos"], "from": {"username": "bob"}, "to": {"username": "alice"}}]
    # and her draft was retitled, then published
    assert report["draftPublished"]
    published = await Post.get(id=draft.id)
    assert (published.title, published.status) == (TEXTS["draftTitle"], PostStatus.PUBLISHED)
    # and the feed filtered by #help (a card's tag link) shows only the question
    assert report["filteredAddress"] == "?tag=help"
    assert report["filteredTitles"] == ["Where to start?"]
    # and of alice's two new posts, only the one tagged #help arrived in it live
    assert report["liveTitles"] == ["Help with asyncio", "Where to start?"]
    # and its select says #help; narrowed to discussions it drops the question; the clear link shows all again
    assert report["tagSelected"] == "help"
    assert report["narrowedAddress"] == "?tag=help&kind=DISCUSSION"
    assert report["narrowedTitles"] == ["Help with asyncio"]
    assert report["clearedAddress"] == ""
    assert report["accessibility"] == []
    assert report["horizontalScroll"] is False
    assert report["consoleErrors"] == []
