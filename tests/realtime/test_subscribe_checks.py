"""Subscribing to a community's feed reuses a recent check of the community and the viewer's access, while
this process follows the feed and nothing changed access since: a ban, or an ended session, is never missed."""

from __future__ import annotations

import pytest

from models.communities import Community
from realtime import get_hub, start_realtime
from realtime.broker import InProcessBroker
from realtime.messages import community_feed
from realtime.sessions import sessions_ended
from resolvers.communities.moderation import do_set_banned
from resolvers.errors import Forbidden
from resolvers.live_access import follow_community
from tests.factories import Persona, count_queries, make_member


@pytest.fixture(autouse=True)
async def live_in_this_process():
    await start_realtime(InProcessBroker())


async def test_subscribers_after_the_first_cost_no_query(owner_alice: Persona, public_community: Community):
    readers = [(await make_member(f"reader{i}")).ctx for i in range(5)]
    async with get_hub().listen(community_feed(public_community.id)):  # someone already follows the feed
        with count_queries() as first:
            await follow_community(owner_alice.ctx, public_community.slug)
        with count_queries() as others:
            for reader in readers:
                community, access = await follow_community(reader, public_community.slug)
                assert community.id == public_community.id
    assert first and not others


async def test_a_ban_is_seen_by_the_next_subscription(
    owner_alice: Persona, member_bob: Persona, private_community: Community
):
    async with get_hub().listen(community_feed(private_community.id)):
        await follow_community(member_bob.ctx, private_community.slug)
        with count_queries() as again:
            await follow_community(member_bob.ctx, private_community.slug)
        assert not again  # remembered
        # when
        await do_set_banned(owner_alice.ctx, private_community.slug, "bob", True)
        # then
        with pytest.raises(Forbidden):
            await follow_community(member_bob.ctx, private_community.slug)


async def test_an_ended_session_forgets_every_check(member_bob: Persona, public_community: Community):
    async with get_hub().listen(community_feed(public_community.id)):
        await follow_community(member_bob.ctx, public_community.slug)
        sessions_ended(["some-session"])
        with count_queries() as after:
            await follow_community(member_bob.ctx, public_community.slug)
    assert after
