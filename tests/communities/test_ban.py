"""A ban takes effect at once: on queries, and on a live feed that is already open."""

from __future__ import annotations

from contextlib import aclosing

import pytest
from gql import GraphQLRequest
from gql.transport.exceptions import TransportQueryError

from models.communities import Community
from realtime.messages import encode_cursor
from resolvers.communities.roles import do_set_role
from tests.factories import Persona, join, make_member
from tests.fixtures.server import Server, execute
from tests.realtime.test_activity_subscription import ACTIVITY, next_event, post, subscribed

BAN = "mutation Ban($slug: String!, $who: String!) { banMember(communitySlug: $slug, username: $who) { status } }"
UNBAN = "mutation Unban($slug: String!, $who: String!) { unbanMember(communitySlug: $slug, username: $who) { status } }"
COMMUNITY = "query C($slug: String!) { community(slug: $slug) { slug } }"


async def test_a_banned_member_stops_receiving_a_private_feed_at_once(
    live_server: Server, owner_alice: Persona, member_bob: Persona, private_community: Community
):
    # given: bob follows the private community's activity, live
    slug = private_community.slug
    await post(live_server, owner_alice, slug, "Members only")
    start = encode_cursor(private_community.id, 3)  # after alice joined, bob joined and bob was welcomed
    async with subscribed(live_server, member_bob) as session:
        request = GraphQLRequest(ACTIVITY, variable_values={"slug": slug, "after": start})
        async with aclosing(session.subscribe(request)) as stream:
            assert "Members only" in (await next_event(stream))["summary"]
            # when
            assert (await execute(live_server, BAN, {"slug": slug, "who": "bob"}, owner_alice.token))["data"] == {
                "banMember": {"status": "BANNED"}
            }
            await post(live_server, owner_alice, slug, "After the ban")
            # then: the feed ends with FORBIDDEN instead of delivering the new post
            with pytest.raises(TransportQueryError) as ended:
                await next_event(stream)
    assert ended.value.errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_ban_and_unban_through_the_api(gql, owner_alice: Persona, member_bob: Persona, private_community):
    variables = {"slug": private_community.slug, "who": "bob"}
    assert (await gql.data(BAN, variables, token=owner_alice.token))["banMember"]["status"] == "BANNED"
    assert (await gql.data(COMMUNITY, {"slug": private_community.slug}, token=member_bob.token))["community"] is None
    error = await gql.error(BAN, variables, token=owner_alice.token)
    assert error["extensions"]["code"] == "CONFLICT"
    assert (await gql.data(UNBAN, variables, token=owner_alice.token))["unbanMember"]["status"] == "ACTIVE"
    assert (await gql.data(COMMUNITY, {"slug": private_community.slug}, token=member_bob.token))["community"]


async def test_moderators_cannot_ban_owners_and_members_cannot_ban(
    gql, owner_alice: Persona, member_bob: Persona, public_community
):
    carol = await make_member("carol")
    await join(carol, public_community)
    await do_set_role(owner_alice.ctx, public_community.slug, "carol", "MODERATOR")
    slug = public_community.slug
    assert (await gql.error(BAN, {"slug": slug, "who": "alice"}, token=carol.token))["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await gql.error(BAN, {"slug": slug, "who": "carol"}, token=member_bob.token))["extensions"]["code"] == (
        "FORBIDDEN"
    )
    own = await gql.error(BAN, {"slug": slug, "who": "carol"}, token=carol.token)
    assert own["extensions"] == {"code": "BAD_USER_INPUT", "field": "username"}
