"""Activity history is kept for ACTIVITY_RETENTION_DAYS; resuming from before it is CURSOR_EXPIRED."""

from __future__ import annotations

from contextlib import aclosing
from datetime import UTC, datetime, timedelta

import pytest
from gql import GraphQLRequest
from gql.transport.exceptions import TransportQueryError

import settings
from models.activity import Activity
from realtime.messages import encode_cursor
from realtime.table import prune_activity
from tests.factories import Persona, make_community, make_post
from tests.fixtures.server import Server
from tests.realtime.test_activity_subscription import ACTIVITY, next_event, posted_cursors, subscribed


async def community_with_old_history(owner: Persona):
    """Seq 1 (joined), 2 (a post), then the rest (its badge, a second post...): the first two are old."""
    community = await make_community(owner, "Old Town", slug="old-town")
    await make_post(owner, community, "Ancient")
    await make_post(owner, community, "Recent")
    old = datetime.now(UTC) - timedelta(days=settings.ACTIVITY_RETENTION_DAYS, hours=1)
    await Activity.filter(community_id=community.id, seq__lte=2).update(created_at=old)
    return community


async def test_pruning_deletes_only_activity_older_than_the_retention(owner_alice: Persona):
    community = await community_with_old_history(owner_alice)
    assert await prune_activity() == 2
    await community.refresh_from_db(fields=["activity_seq"])
    kept = await Activity.filter(community_id=community.id).order_by("seq").values_list("seq", flat=True)
    assert kept == list(range(3, community.activity_seq + 1))
    assert await prune_activity() == 0


async def test_resuming_from_a_pruned_cursor_is_cursor_expired(live_server: Server, owner_alice: Persona):
    # given: history before seq 3 is gone
    community = await community_with_old_history(owner_alice)
    await prune_activity()
    async with subscribed(live_server, owner_alice) as session:
        # when: resuming after seq 1 (seq 2 was deleted)
        request = GraphQLRequest(
            ACTIVITY, variable_values={"slug": community.slug, "after": encode_cursor(community.id, 1)}
        )
        with pytest.raises(TransportQueryError) as raised:
            async with aclosing(session.subscribe(request)) as stream:
                await next_event(stream)
    # then
    assert raised.value.errors[0]["extensions"]["code"] == "CURSOR_EXPIRED"


async def test_resuming_right_before_the_oldest_kept_event_replays_it(live_server: Server, owner_alice: Persona):
    community = await community_with_old_history(owner_alice)
    await prune_activity()
    async with subscribed(live_server, owner_alice) as session:
        request = GraphQLRequest(
            ACTIVITY, variable_values={"slug": community.slug, "after": encode_cursor(community.id, 2)}
        )
        async with aclosing(session.subscribe(request)) as stream:
            replayed = await next_event(stream)
    assert (replayed["verb"], replayed["cursor"]) == ("POSTED", (await posted_cursors(community))[-1])
    assert "Recent" in replayed["summary"]
