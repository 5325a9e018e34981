"""The digest: its content against known data, the editor's task, publishing to the whole community."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.activity import Activity
from models.communities import Community, Membership
from models.events import Event
from models.notifications import Notification
from models.points import Kudos
from models.posts import Post, PostKind, PostStatus, ReactionKind
from models.recognition import BadgeAward
from resolvers.digest import digest
from resolvers.events.events import NewEvent, do_check_in, do_create_event
from resolvers.ids import from_global_id
from resolvers.posts.reactions import do_react
from tests.factories import Persona, gid, join, make_comment, make_member, make_post

GENERATE = """
mutation G($slug: String!, $period: Period!) {
  generateDigest(communitySlug: $slug, period: $period) { id kind status title body }
}
"""
ASSIGN_DIGEST = """
mutation T($slug: String!, $post: ID!) {
  createTask(input: {communitySlug: $slug, title: "Edit the digest", postId: $post}) { id post { id } }
}
"""
ASSIGN = "mutation A($id: ID!, $u: String!) { assignTask(taskId: $id, username: $u) { status } }"
UPDATE = "mutation U($id: ID!, $body: String!) { updatePost(input: {postId: $id, body: $body}) { body bodyHtml } }"
PUBLISH = "mutation P($id: ID!) { publishPost(postId: $id) { status kind } }"
NODE = "query N($id: ID!) { node(id: $id) { ... on Post { title status } } }"


async def test_the_digest_sums_up_the_week(owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given: alice and bob are long-standing members; carol and dave joined this week
    await Membership.filter(community_id=public_community.id).update(joined_at=datetime.now(UTC) - timedelta(days=60))
    carol, dave = await make_member("carol"), await make_member("dave")
    for persona in (carol, dave):
        await join(persona, public_community)
    # a busy post (2 comments + 1 reaction = 3), a quieter one (1 reaction), and one from last month (left out)
    busy = await make_post(member_bob, public_community, "Our roadmap")
    quiet = await make_post(owner_alice, public_community, "Office hours")
    old = await make_post(owner_alice, public_community, "Old news")
    await Post.filter(id=old.id).update(published_at=datetime.now(UTC) - timedelta(days=20))
    for persona in (carol, dave):
        await make_comment(persona, busy)
    await make_comment(carol, old)
    await do_react(carol.ctx, gid(busy), ReactionKind.LIKE, True)
    await do_react(member_bob.ctx, gid(quiet), ReactionKind.THANKS, True)
    # a question nobody answered, and one bob answered
    open_question = await make_post(dave, public_community, "Where are the slides?", kind=PostKind.QUESTION)
    answered = await make_post(carol, public_community, "Is there a meetup?", kind=PostKind.QUESTION)
    await make_comment(member_bob, answered, "Yes")
    # bob thanks carol; a meetup tomorrow
    await Kudos.create(
        community_id=public_community.id,
        giver_id=member_bob.member.id,
        receiver_id=carol.member.id,
        message="Thanks for the slides",
    )
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    event = await do_create_event(
        owner_alice.ctx,
        NewEvent(public_community.slug, "Meetup", starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2)),
    )
    # when
    post = await digest.do_generate_digest(owner_alice.ctx, public_community.slug, "WEEK")
    # then: a draft digest by alice, nobody notified yet
    assert (post.kind, post.status, post.author_id) == (PostKind.DIGEST, PostStatus.DRAFT, owner_alice.member.id)
    lines = post.body.split("\n")
    heading_at = {heading: lines.index(heading) for heading in lines if heading.startswith("## ")}
    assert list(heading_at) == [
        "## Top posts",
        "## Waiting for an answer",
        "## Welcome to our newcomers",
        "## Thanks and badges",
        "## Events",
        "## Coming up",
    ]
    top = lines[heading_at["## Top posts"] + 2 : heading_at["## Waiting for an answer"] - 1]
    assert top == [
        f"- [Our roadmap](/posts/{gid(busy)}): 2 comments, 1 reaction",
        f"- [Is there a meetup?](/posts/{gid(answered)}): 1 comment, 0 reactions",  # a tie: the newest first
        f"- [Office hours](/posts/{gid(quiet)}): 0 comments, 1 reaction",
        f"- [Where are the slides?](/posts/{gid(open_question)}): 0 comments, 0 reactions",  # nobody engaged yet
    ]
    waiting = lines[heading_at["## Waiting for an answer"] + 2 : heading_at["## Welcome to our newcomers"] - 1]
    assert waiting == [f"- [Where are the slides?](/posts/{gid(open_question)})"]
    assert lines[heading_at["## Welcome to our newcomers"] + 2] == "@carol, @dave: say hello!"
    thanks = lines[heading_at["## Thanks and badges"] + 2 : heading_at["## Events"] - 1]
    assert "- @bob earned the **First post** badge" in thanks
    assert thanks[-1] == "- 1 kudos given: @bob thanked @carol"
    assert lines[heading_at["## Coming up"] + 2].startswith(f"- [Meetup](/events/{gid(event)}), ")
    assert await Notification.filter(kind="DIGEST_PUBLISHED").count() == 0


def section(body: str, heading: str) -> list[str]:
    """The lines of one `## heading` section of a digest, between its blank lines."""
    lines = body.split("\n")
    first = lines.index(f"## {heading}") + 2
    return lines[first : lines.index("", first)] if "" in lines[first:] else lines[first:]


async def test_the_digest_lists_what_was_published_even_before_anyone_engaged(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: the week's only new post, that nobody has reacted to or commented on yet
    only = await make_post(member_bob, public_community, "Our first meetup notes")
    # when
    draft = await gql.data(GENERATE, {"slug": public_community.slug, "period": "WEEK"}, token=owner_alice.token)
    # then
    assert section(draft["generateDigest"]["body"], "Top posts") == [
        f"- [Our first meetup notes](/posts/{gid(only)}): 0 comments, 0 reactions"
    ]


async def test_the_digest_says_how_many_more_when_a_section_reaches_its_limit(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: more posts and questions than a digest lists, the busiest one last
    for n in range(digest.TOP_POSTS + 1):
        await make_post(member_bob, public_community, f"Note {n}")
    for n in range(digest.UNANSWERED + 2):
        await make_post(member_bob, public_community, f"Question {n}?", kind=PostKind.QUESTION)
    busy = await make_post(member_bob, public_community, "The busy one")
    await do_react(owner_alice.ctx, gid(busy), ReactionKind.LIKE, True)
    # when
    draft = await gql.data(GENERATE, {"slug": public_community.slug, "period": "WEEK"}, token=owner_alice.token)
    body = draft["generateDigest"]["body"]
    # then: the most engaging first, then the newest, and a count of the rest
    top = section(body, "Top posts")
    assert top[0] == f"- [The busy one](/posts/{gid(busy)}): 0 comments, 1 reaction"
    assert top[1].startswith(f"- [Question {digest.UNANSWERED + 1}?]")
    total = (digest.TOP_POSTS + 1) + (digest.UNANSWERED + 2) + 1
    assert top[digest.TOP_POSTS :] == [f"- and {total - digest.TOP_POSTS} more posts"]
    assert section(body, "Waiting for an answer")[digest.UNANSWERED :] == ["- and 2 more questions"]


async def test_the_digest_tells_the_events_held_in_the_period(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: a meetup bob attended, three days ago
    soon = datetime.now(UTC) + timedelta(minutes=10)
    meetup = NewEvent(public_community.slug, "Lightning talks", starts_at=soon, ends_at=soon + timedelta(hours=2))
    event = await do_create_event(owner_alice.ctx, meetup)
    await do_check_in(owner_alice.ctx, gid(event), "bob")
    held = (datetime.now(UTC) - timedelta(days=3)).replace(hour=18, minute=0, second=0, microsecond=0)
    await Event.filter(id=event.id).update(starts_at=held, ends_at=held + timedelta(hours=2))
    # when: the weekly digest of the days around it
    post = await digest.do_generate_digest(owner_alice.ctx, public_community.slug, "WEEK")
    # then
    assert section(post.body, "Events") == [
        f"- [Lightning talks](/events/{gid(event)}), {held:%A %-d %B}, 18:00 UTC: 1 checked in"
    ]


async def test_an_editor_edits_and_publishes_the_digest_for_everyone(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    carol = await make_member("carol")
    await join(carol, public_community)
    # given: alice drafts the digest and gives it to bob as a task
    draft = await gql.data(GENERATE, {"slug": public_community.slug, "period": "WEEK"}, token=owner_alice.token)
    post_id = draft["generateDigest"]["id"]
    assert draft["generateDigest"]["kind"] == "DIGEST" and draft["generateDigest"]["status"] == "DRAFT"
    task = await gql.data(ASSIGN_DIGEST, {"slug": public_community.slug, "post": post_id}, token=owner_alice.token)
    assert task["createTask"]["post"] == {"id": post_id}
    # before the task is his, bob cannot see the draft
    assert (await gql.error(NODE, {"id": post_id}, token=member_bob.token))["extensions"]["code"] == "NOT_FOUND"
    await gql.data(ASSIGN, {"id": task["createTask"]["id"], "u": "bob"}, token=owner_alice.token)
    # when: bob edits and publishes it
    edited = await gql.data(UPDATE, {"id": post_id, "body": "A **great** week"}, token=member_bob.token)
    published = (await gql.data(PUBLISH, {"id": post_id}, token=member_bob.token))["publishPost"]
    # then
    assert edited["updatePost"]["bodyHtml"] == "<p>A <strong>great</strong> week</p>\n"
    assert published == {"status": "PUBLISHED", "kind": "DIGEST"}
    feed = await Activity.filter(community_id=public_community.id, verb="DIGEST_PUBLISHED").values_list(
        "actor_id", "subject_id"
    )
    assert feed == [(member_bob.member.id, from_global_id(post_id)[1])]
    told = set(await Notification.filter(kind="DIGEST_PUBLISHED").values_list("member_id", flat=True))
    assert told == {owner_alice.member.id, carol.member.id}  # everyone but the editor who published it
    assert await BadgeAward.filter(member_id=member_bob.member.id, badge__slug="digest-author").exists()
    # carol, who has no task, cannot touch it; a published post is not edited here
    refused = await gql.error(UPDATE, {"id": post_id, "body": "x"}, token=carol.token)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    late = await gql.error(UPDATE, {"id": post_id, "body": "x"}, token=member_bob.token)
    assert late["extensions"] == {"code": "CONFLICT", "field": "postId"}


async def test_only_managers_generate_digests(gql, member_bob: Persona, owner_alice: Persona, public_community):
    refused = await gql.error(GENERATE, {"slug": public_community.slug, "period": "WEEK"}, token=member_bob.token)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    all_time = await gql.error(GENERATE, {"slug": public_community.slug, "period": "ALL"}, token=owner_alice.token)
    assert all_time["extensions"] == {"code": "BAD_USER_INPUT", "field": "period"}


async def test_the_scheduler_drafts_last_weeks_digest_on_monday_once(
    monkeypatch, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    monkeypatch.setattr(digest, "_drafted_week", "")
    await make_post(member_bob, public_community, "Something happened")
    now = datetime.now(UTC)
    next_monday = (now + timedelta(days=7 - now.weekday())).replace(hour=0, minute=5)
    assert await digest.draft_weekly_digests(next_monday - timedelta(days=1)) == 0  # a Sunday
    assert await digest.draft_weekly_digests(next_monday) == 1
    monkeypatch.setattr(digest, "_drafted_week", "")  # as another process would
    assert await digest.draft_weekly_digests(next_monday + timedelta(minutes=1)) == 0
    drafts = await Post.filter(kind=PostKind.DIGEST, status=PostStatus.DRAFT).values_list("author_id", "body")
    assert len(drafts) == 1 and drafts[0][0] == owner_alice.member.id
    assert "- @bob earned the **First post** badge" in drafts[0][1]  # for that post
    told = await Notification.filter(kind="DIGEST_DRAFTED").values_list("member_id", flat=True)
    assert told == [owner_alice.member.id]
