"""Publishing a digest queues one `digest` email per member who wants digests and was away today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.communities import Community, Membership, MembershipStatus
from models.members import DigestFrequency, Member
from models.posts import Post
from resolvers.digest import digest
from resolvers.errors import Conflict
from resolvers.ids import to_global_id
from resolvers.posts import posts
from tests.email_triggers.helpers import queued
from tests.factories import Persona, count_queries, join, make_community, make_member

YESTERDAY = datetime.now(UTC) - timedelta(days=1)


async def away(*personas: Persona) -> None:
    await Member.filter(id__in=[p.member.id for p in personas]).update(last_seen_at=YESTERDAY)


async def publish_digest(owner: Persona, community: Community) -> Post:
    draft = await digest.do_generate_digest(owner.ctx, community.slug, "WEEK")
    return await posts.do_publish_post(owner.ctx, to_global_id("Post", draft.id))


async def test_a_published_digest_is_emailed_to_away_members_who_want_it(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given bob away since yesterday, with the default (weekly) digest, and a post of his this week
    await away(member_bob)
    tips = await posts.do_create_post(member_bob.ctx, posts.NewPost(public_community.slug, "Bob's tips", "Read this."))
    # when alice publishes the week's digest
    post = await publish_digest(owner_alice, public_community)
    # then bob is emailed the digest, linked by its id, with the community named and the week's posts listed
    emails = await queued("digest")
    assert list(emails) == ["bob@example.org"]
    assert emails["bob@example.org"] == {
        "post_id": to_global_id("Post", post.id),
        "title": post.title,
        "excerpt": "What happened in Python Paris over the last 7 days.",
        "community_name": "Python Paris",
        "community_slug": "python-paris",
        "highlights": [{"title": "Bob's tips", "path": "/posts/" + to_global_id("Post", tips.id)}],
    }


async def test_who_is_not_emailed_the_digest(owner_alice: Persona, member_bob: Persona, public_community: Community):
    # given members who each have a reason not to get it, and one (bob) who has none
    never, today, bounced, suspended, deleted, pending, banned, left = [
        await make_member(name)
        for name in ("never", "today", "bounced", "suspended", "deleted", "pending", "banned", "left")
    ]
    outsider = await make_member("outsider")
    for persona in (never, today, bounced, suspended, deleted, pending, banned, left):
        await join(persona, public_community)
    await away(member_bob, never, bounced, suspended, deleted, pending, banned, left, outsider)
    await Member.filter(id=never.member.id).update(digest_email=DigestFrequency.NEVER)
    await Member.filter(id=today.member.id).update(last_seen_at=datetime.now(UTC))
    now = datetime.now(UTC)
    await Member.filter(id=bounced.member.id).update(email_bounced_at=now)
    await Member.filter(id=suspended.member.id).update(suspended_at=now)
    await Member.filter(id=deleted.member.id).update(deleted_at=now)
    for persona, status in ((pending, MembershipStatus.PENDING), (banned, MembershipStatus.BANNED)):
        await Membership.filter(member_id=persona.member.id).update(status=status)
    await Membership.filter(member_id=left.member.id).delete()
    # when the digest is published (by alice, away herself: she wrote it)
    await away(owner_alice)
    await publish_digest(owner_alice, public_community)
    # then only bob is emailed
    assert list(await queued("digest")) == ["bob@example.org"]


async def test_other_posts_and_other_communities_queue_no_digest_email(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    other = await make_community(owner_alice, "Elsewhere")
    carol = await make_member("carol")
    await join(carol, other)
    await away(member_bob, carol)
    await posts.do_create_post(
        owner_alice.ctx, posts.NewPost(community_slug=public_community.slug, title="Not a digest", body="Hello")
    )
    assert await queued("digest") == {}
    await publish_digest(owner_alice, public_community)
    assert list(await queued("digest")) == ["bob@example.org"]


async def test_the_digest_emails_are_queued_in_one_statement_whatever_the_community_size(
    owner_alice: Persona, public_community: Community
):
    # given 60 away members
    members = [await make_member() for _ in range(60)]
    for persona in members:
        await join(persona, public_community)
    await away(*members)
    draft = await digest.do_generate_digest(owner_alice.ctx, public_community.slug, "WEEK")
    # when the digest is published
    with count_queries() as statements:
        await posts.do_publish_post(owner_alice.ctx, to_global_id("Post", draft.id))
    # then every one of them is queued, by a single INSERT into the outbox
    assert len(await queued("digest")) == 61  # and bob, of the fixture's community
    inserts = [s for s in statements if "outgoing_email" in s.lower()]
    assert len(inserts) == 1 and inserts[0].lstrip().upper().startswith(("INSERT", "WITH")), inserts


async def test_a_scheduled_digest_is_emailed_when_the_scheduler_publishes_it(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    draft = await digest.do_generate_digest(owner_alice.ctx, public_community.slug, "WEEK")
    await Post.filter(id=draft.id).update(status="SCHEDULED", publish_at=datetime.now(UTC) - timedelta(minutes=1))
    await away(member_bob)
    assert await posts.publish_due_posts() == 1
    assert list(await queued("digest")) == ["bob@example.org"]


async def test_a_failed_publication_queues_nothing(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given a digest already published: publishing it again is refused, and nobody is emailed twice
    await away(member_bob)
    post = await publish_digest(owner_alice, public_community)
    with pytest.raises(Conflict):
        await posts.do_publish_post(owner_alice.ctx, to_global_id("Post", post.id))
    assert list(await queued("digest")) == ["bob@example.org"]
