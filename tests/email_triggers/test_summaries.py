"""The summary for absent members: their communities' top new posts, once per digest period, only if new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.communities import Community
from models.members import DigestFrequency, Member
from models.posts import Post
from resolvers.email import summaries
from resolvers.email.summaries import send_summaries
from resolvers.ids import to_global_id
from tests.email_triggers.helpers import queued, queued_rows
from tests.email_triggers.ticks import run_ticks_together
from tests.factories import Persona, join, make_comment, make_member, make_post

LONG_AGO = datetime.now(UTC) - timedelta(days=8)


@pytest.fixture(autouse=True)
def look_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The job looks at most every few minutes per process; each call here is a fresh look."""
    monkeypatch.setattr(summaries, "LOOK_EVERY", timedelta(0))


@pytest.fixture
async def carol(public_community: Community) -> Persona:
    """A member of Python Paris, away for eight days, with the default weekly digest."""
    carol = await make_member("carol", display_name="Carol")
    await join(carol, public_community)
    await Member.filter(id=carol.member.id).update(last_seen_at=LONG_AGO)
    return carol


async def test_an_absent_member_gets_the_top_new_posts_of_her_communities(
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
    private_community: Community,
    carol: Persona,
):
    # given new posts in carol's community (one discussed), her own, and one in a private community she is not in
    await make_post(member_bob, public_community, "A quiet one")
    discussed = await make_post(member_bob, public_community, "Talk of the town", "Everyone *loves* it")
    await make_comment(owner_alice, discussed, "Indeed")
    await make_post(carol, public_community, "Carol's own")
    await make_post(owner_alice, private_community, "Members only")
    # when the summary job runs
    assert await send_summaries() == 1
    # then carol is sent the community's posts, the discussed one first; not her own, not the private one
    emails = await queued("summary")
    assert list(emails) == ["carol@example.org"]
    params = emails["carol@example.org"]
    assert [post["title"] for post in params["posts"]] == ["Talk of the town", "A quiet one"]
    top = params["posts"][0]
    assert top["post_id"] == to_global_id("Post", discussed.id) and top["comments"] == 1
    assert top["excerpt"] == "Everyone *loves* it" and top["community_slug"] == "python-paris"
    assert params["community_names"] == ["Python Paris"] and params["more"] == 0


async def test_once_per_period_and_nothing_when_nothing_is_new(
    member_bob: Persona, public_community: Community, carol: Persona
):
    # given carol chose daily digests and nothing was posted: nothing is sent, but today is done
    await Member.filter(id=carol.member.id).update(digest_email=DigestFrequency.DAILY)
    now = datetime.now(UTC)
    assert await send_summaries(now) == 0
    await make_post(member_bob, public_community, "Fresh news")
    assert await send_summaries(now + timedelta(minutes=1)) == 0
    # the next day, the news is sent, once
    tomorrow = now + timedelta(days=1)
    assert await send_summaries(tomorrow) == 1
    assert await send_summaries(tomorrow + timedelta(minutes=1)) == 0
    assert [row.params["posts"][0]["title"] for row in await queued_rows("summary")] == ["Fresh news"]


async def test_who_gets_no_summary(member_bob: Persona, public_community: Community, carol: Persona):
    # given members who each have a reason not to get one
    recent, never, bounced = await make_member("recent"), await make_member("never"), await make_member("bounced")
    for persona in (recent, never, bounced):
        await join(persona, public_community)
    await Member.filter(id__in=[never.member.id, bounced.member.id]).update(last_seen_at=LONG_AGO)
    await Member.filter(id=recent.member.id).update(last_seen_at=datetime.now(UTC) - timedelta(days=2))
    await Member.filter(id=never.member.id).update(digest_email=DigestFrequency.NEVER)
    await Member.filter(id=bounced.member.id).update(email_bounced_at=datetime.now(UTC))
    await make_post(member_bob, public_community, "News")
    # when the job runs, then only carol (away, weekly, reachable) gets a summary
    await send_summaries()
    assert list(await queued("summary")) == ["carol@example.org"]


async def test_posts_before_the_last_visit_are_not_news(
    member_bob: Persona, public_community: Community, carol: Persona
):
    old = await make_post(member_bob, public_community, "Seen already")
    await Post.filter(id=old.id).update(published_at=LONG_AGO - timedelta(days=1))
    assert await send_summaries() == 0
    assert await queued("summary") == {}


async def test_two_processes_send_one_summary(
    database: str, member_bob: Persona, public_community: Community, carol: Persona
):
    await make_post(member_bob, public_community, "News")
    counts = await run_ticks_together(database, datetime.now(UTC))
    assert sum(s for _, s in counts) == 1
    assert list(await queued("summary")) == ["carol@example.org"]
