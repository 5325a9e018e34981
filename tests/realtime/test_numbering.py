"""Writes to one community do not queue behind each other: numbers are taken just before commit.

Activity and notifications are still numbered densely, in commit order, and the rules that used to lean on the
community's lock (daily caps, badges) stay exact when writes arrive at once.
"""

from __future__ import annotations

import asyncio

import pytest

from models.activity import Activity, Verb
from models.points import PointsEntry
from models.posts import ReactionKind
from resolvers.activity import append_activity
from resolvers.outbox import writing
from resolvers.posts.reactions import do_react
from resolvers.recognition.points import DEFAULT_RULES
from tests.conftest import BACKEND
from tests.factories import Persona, gid, join, make_community, make_member, make_post

WAIT_SECONDS = 20


@pytest.mark.skipif(BACKEND != "postgres", reason="SQLite runs one writer at a time: a second write always waits")
async def test_a_write_in_progress_does_not_hold_up_another_write_to_the_same_community(
    owner_alice: Persona, member_bob: Persona
):
    # given: a write to the community that has appended its event and has not committed yet
    community = await make_community(owner_alice, "Quiet Room", slug="quiet-room")
    await join(member_bob, community)
    appended, finish = asyncio.Event(), asyncio.Event()

    async def slow_write() -> None:
        async with writing() as tx:
            await append_activity(tx, community_id=community.id, actor_id=owner_alice.member.id, verb=Verb.RSVP)
            appended.set()
            await finish.wait()

    slow = asyncio.create_task(slow_write())
    await asyncio.wait_for(appended.wait(), WAIT_SECONDS)
    # when: another member posts meanwhile
    post = await asyncio.wait_for(make_post(member_bob, community, "Not kept waiting"), WAIT_SECONDS)
    finish.set()
    await asyncio.wait_for(slow, WAIT_SECONDS)
    # then: the post (and the first-post badge it earned) committed first, so they have the earlier numbers,
    # with no gap
    events = await Activity.filter(community_id=community.id).order_by("seq").values_list("seq", "verb", "subject_id")
    assert [seq for seq, _, _ in events] == list(range(1, len(events) + 1))
    assert (Verb.POSTED, post.id) in [(verb, subject) for _, verb, subject in events[:-1]]
    assert events[-1][1] == Verb.RSVP


async def test_reactions_arriving_at_once_stay_within_the_daily_caps(owner_alice: Persona):
    # given: an author with 8 posts and 8 members who like and thank all of them (128 reactions, at once)
    community = await make_community(owner_alice, "Busy Room", slug="busy-room")
    givers = [await make_member(f"giver{i}") for i in range(8)]
    for giver in givers:
        await join(giver, community)
    posts = [await make_post(owner_alice, community, f"Post {n}") for n in range(8)]
    reactions = [
        do_react(giver.ctx, gid(post), kind, add=True)
        for giver in givers
        for post in posts
        for kind in (ReactionKind.LIKE, ReactionKind.THANKS)
    ]
    await asyncio.wait_for(asyncio.gather(*reactions), WAIT_SECONDS * 3)
    # then: the author earned exactly the daily cap, and no giver more than the pair cap
    earned = PointsEntry.filter(member_id=owner_alice.member.id, reason="REACTION_RECEIVED")
    assert sum(await earned.values_list("amount", flat=True)) == DEFAULT_RULES["REACTION_DAILY_CAP"]
    for giver in givers:
        from_giver = await earned.filter(given_by_id=giver.member.id).values_list("amount", flat=True)
        assert sum(from_giver) <= DEFAULT_RULES["REACTION_PAIR_DAILY_CAP"]
    # and every reaction is in the feed once, numbered without a gap
    seqs = await Activity.filter(community_id=community.id).order_by("seq").values_list("seq", flat=True)
    assert seqs == list(range(1, len(seqs) + 1))
    assert await Activity.filter(community_id=community.id, verb=Verb.REACTED).count() == len(reactions)
