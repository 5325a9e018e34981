"""Notification emails: unread notifications, after a grace delay (IMMEDIATE) or once per interval (BUNDLED)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import settings
from models.communities import Community
from models.members import Member, NotificationEmailMode
from models.notifications import Notification, NotificationKind
from models.posts import Post
from resolvers.email import notification_emails
from resolvers.email.notification_emails import send_notification_emails
from resolvers.ids import to_global_id
from resolvers.notifications.notifications import notify
from resolvers.outbox import queue, writing
from tests.email_triggers.helpers import queued, queued_rows
from tests.email_triggers.ticks import run_ticks_together
from tests.factories import Persona, make_comment, make_post

DELAY = timedelta(seconds=settings.EMAIL_NOTIFICATION_DELAY_SECONDS)


async def emails_by(persona: Persona, mode: NotificationEmailMode) -> None:
    await Member.filter(id=persona.member.id).update(notification_email=mode)


async def notify_kind(persona: Persona, kind: NotificationKind, community: Community, title: str = "Hi") -> None:
    async with writing() as tx:
        queue(
            tx,
            *await notify(
                tx, {persona.member.id: kind}, actor_id=None, community_id=community.id, payload={"title": title}
            ),
        )


@pytest.fixture
async def bob_replied_to_alice(owner_alice: Persona, member_bob: Persona, public_community: Community) -> Post:
    post = await make_post(owner_alice, public_community, "Where do we meet?")
    await make_comment(member_bob, post, "At the *usual* café")
    return post


async def test_an_unread_reply_is_emailed_once_the_grace_delay_is_over(
    owner_alice: Persona, bob_replied_to_alice: Post
):
    # given alice asked for notification emails at once, and bob replied to her post
    await emails_by(owner_alice, NotificationEmailMode.IMMEDIATE)
    now = datetime.now(UTC)
    # when the job runs within the grace delay, then nothing is sent: she may see it in the app first
    assert await send_notification_emails(now) == 0
    # when it runs after the delay
    assert await send_notification_emails(now + DELAY + timedelta(seconds=5)) == 1
    # then she is emailed the reply, linked to the post
    params = (await queued("notifications"))["alice@example.org"]
    assert params["more"] == 0
    [item] = [item for item in params["notifications"] if item["kind"] == "REPLY"]
    assert item["actor"] == "Bob" and item["title"] == "Where do we meet?"
    assert item["excerpt"] == "At the *usual* café"
    assert item["link"] == f"/posts/{to_global_id('Post', bob_replied_to_alice.id)}"
    assert item["community_name"] == "Python Paris" and item["community_slug"] == "python-paris"
    # and never again
    assert await send_notification_emails(now + 2 * DELAY) == 0
    assert len(await queued_rows("notifications")) == 1


async def test_what_was_read_in_the_app_is_never_emailed(owner_alice: Persona, bob_replied_to_alice: Post):
    await emails_by(owner_alice, NotificationEmailMode.IMMEDIATE)
    await Notification.filter(member_id=owner_alice.member.id).update(read_at=datetime.now(UTC))
    assert await send_notification_emails(datetime.now(UTC) + 2 * DELAY) == 0
    assert await queued("notifications") == {}
    # and it counts as considered: reading later changes nothing
    member = await Member.get(id=owner_alice.member.id)
    assert member.email_notified_seq == member.notification_seq


@pytest.mark.parametrize("mode", [NotificationEmailMode.NEVER, "bounced", "suspended", "deleted"])
async def test_who_gets_no_notification_email(owner_alice: Persona, bob_replied_to_alice: Post, mode: str):
    now = datetime.now(UTC)
    if mode == NotificationEmailMode.NEVER:
        await emails_by(owner_alice, NotificationEmailMode.NEVER)
    else:
        await emails_by(owner_alice, NotificationEmailMode.IMMEDIATE)
        await Member.filter(id=owner_alice.member.id).update(
            **{f"{'email_' if mode == 'bounced' else ''}{mode}_at": now}
        )
    assert await send_notification_emails(now + 2 * DELAY) == 0
    assert await queued("notifications") == {}


async def test_only_the_kinds_that_bring_members_back_are_emailed(owner_alice: Persona, public_community: Community):
    await emails_by(owner_alice, NotificationEmailMode.IMMEDIATE)
    for kind in NotificationKind:
        await notify_kind(owner_alice, kind, public_community, title=kind.value)
    assert await send_notification_emails(datetime.now(UTC) + 2 * DELAY) == 1
    params = (await queued("notifications"))["alice@example.org"]
    emailed = {item["kind"] for item in params["notifications"]}
    assert emailed == {kind.value for kind in notification_emails.EMAILED_KINDS}
    assert not emailed & {"RANK_UP", "OVERTAKEN", "DIGEST_PUBLISHED", "TASK_VOLUNTEERED"}


async def test_a_bundle_lists_what_arrived_once_per_interval(owner_alice: Persona, public_community: Community):
    # given alice gets bundles; the current interval started at `boundary`
    await emails_by(owner_alice, NotificationEmailMode.BUNDLED)
    interval = timedelta(minutes=settings.EMAIL_BUNDLE_MINUTES)
    boundary = notification_emails.cutoff(NotificationEmailMode.BUNDLED, datetime.now(UTC)) + interval
    await notify_kind(owner_alice, NotificationKind.KUDOS, public_community, "first")
    await notify_kind(owner_alice, NotificationKind.BADGE_AWARDED, public_community, "second")
    await Notification.filter(member_id=owner_alice.member.id).update(created_at=boundary - interval / 2)
    # when the job runs in the next interval: one email with both
    assert await send_notification_emails(boundary + DELAY + timedelta(minutes=1)) == 1
    [bundle] = await queued_rows("notifications")
    assert [item["title"] for item in bundle.params["notifications"]] == ["second", "first"]
    assert [item["link"] for item in bundle.params["notifications"]] == ["/notifications", "/notifications"]
    # and something arriving later in that interval waits for the next one
    await notify_kind(owner_alice, NotificationKind.MENTION, public_community, "third")
    await Notification.filter(member_id=owner_alice.member.id, seq=3).update(created_at=boundary + DELAY)
    assert await send_notification_emails(boundary + DELAY + timedelta(minutes=30)) == 0
    assert await send_notification_emails(boundary + interval + DELAY + timedelta(minutes=1)) == 1
    latest = (await queued_rows("notifications"))[-1]
    assert [item["title"] for item in latest.params["notifications"]] == ["third"]


async def test_two_processes_never_email_the_same_notifications_twice(
    database: str, owner_alice: Persona, member_bob: Persona, bob_replied_to_alice: Post
):
    # given alice (at once) and bob (bundled) both have unread notifications due
    await emails_by(owner_alice, NotificationEmailMode.IMMEDIATE)
    await emails_by(member_bob, NotificationEmailMode.BUNDLED)
    await make_comment(owner_alice, bob_replied_to_alice, "Thanks @bob")
    later = datetime.now(UTC) + timedelta(minutes=settings.EMAIL_BUNDLE_MINUTES) + 2 * DELAY
    # when two processes run the job at the same moment
    counts = await run_ticks_together(database, later)
    # then each member got one email, from one process or the other
    assert sum(n for n, _ in counts) == 2
    assert sorted(await queued("notifications")) == ["alice@example.org", "bob@example.org"]


async def test_switching_email_on_does_not_send_old_history(owner_alice: Persona, bob_replied_to_alice: Post):
    # given a reply from ten days ago, unread, and alice turns immediate emails on today
    await Notification.filter(member_id=owner_alice.member.id).update(created_at=datetime.now(UTC) - timedelta(days=10))
    await emails_by(owner_alice, NotificationEmailMode.IMMEDIATE)
    # then it is not emailed: it is past news
    assert await send_notification_emails(datetime.now(UTC)) == 0
    assert await queued("notifications") == {}
