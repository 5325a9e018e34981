"""`Membership.welcome`: the newcomer finds their welcome again on the community's page, and only they do."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

from gql import GraphQLRequest

from models.communities import Community, Membership
from models.posts import PostKind
from resolvers.communities.membership import do_decide_membership
from resolvers.ids import to_global_id
from tests.communities.helpers import approval_community
from tests.factories import Persona, gid, join, make_member, make_post
from tests.fixtures.server import Server, execute
from tests.realtime.test_activity_subscription import WAIT_SECONDS, subscribed

OWN_WELCOME = """
query OwnWelcome($slug: String!) {
  community(slug: $slug) {
    viewerMembership {
      welcome {
        member { username }
        introduction { id kind title }
        suggestedActions { kind title targetId }
      }
    }
  }
}
"""
MEMBERSHIPS_WELCOME = """
query TheirWelcome($username: String!) {
  member(username: $username) { memberships { edges { node { community { slug } welcome { member { username } } } } } }
}
"""
RESUMED = """
subscription Resumed($slug: String!, $after: String) {
  welcomes(communitySlug: $slug, after: $after) { cursor member { username } }
}
"""


async def own_welcome(gql, persona: Persona, community: Community) -> dict | None:
    data = await gql.data(OWN_WELCOME, {"slug": community.slug}, token=persona.token)
    return data["community"]["viewerMembership"]["welcome"]


async def test_a_newcomer_reads_their_welcome_with_the_suggested_actions(
    gql, owner_alice: Persona, public_community: Community
):
    question = await make_post(
        owner_alice, public_community, "How do I profile asyncio?", kind=PostKind.QUESTION, tags=["python"]
    )
    dave = await make_member("dave", skills=["python"], display_name="Dave")
    await join(dave, public_community)
    welcome = await own_welcome(gql, dave, public_community)
    assert welcome is not None
    assert welcome["member"] == {"username": "dave"}
    assert welcome["introduction"]["kind"] == "INTRODUCTION"
    assert welcome["introduction"]["title"] == "Introducing Dave"
    assert {"kind": "ANSWER_QUESTION", "title": f"Answer: {question.title}", "targetId": gid(question)} in welcome[
        "suggestedActions"
    ]


async def test_the_owner_who_created_the_community_has_no_welcome(
    gql, owner_alice: Persona, public_community: Community
):
    assert await own_welcome(gql, owner_alice, public_community) is None


async def test_a_pending_request_has_no_welcome_until_approved(gql, owner_alice: Persona, member_bob: Persona):
    club = await approval_community(owner_alice)
    await join(member_bob, club)
    pending = await own_welcome(gql, member_bob, club)
    assert pending is None
    membership = await Membership.get(member_id=member_bob.member.id, community_id=club.id)
    await do_decide_membership(owner_alice.ctx, to_global_id("Membership", membership.id), True)
    approved = await own_welcome(gql, member_bob, club)
    assert approved is not None and approved["member"] == {"username": "bob"}


async def test_nobody_else_reads_a_members_welcome(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # bob's welcome exists (he joined the community in the fixture)...
    assert await own_welcome(gql, member_bob, public_community) is not None
    # ...but the owner, a stranger and an anonymous visitor reading his memberships get none
    mallory = await make_member("mallory")
    for token in (owner_alice.token, mallory.token, None):
        data = await gql.data(MEMBERSHIPS_WELCOME, {"username": "bob"}, token=token)
        nodes = [edge["node"] for edge in data["member"]["memberships"]["edges"]]
        assert nodes == [{"community": {"slug": public_community.slug}, "welcome": None}]


async def test_asking_again_gives_the_same_welcome(gql, member_bob: Persona, public_community: Community):
    first = await own_welcome(gql, member_bob, public_community)
    again = await own_welcome(gql, member_bob, public_community)
    assert first == again


async def test_a_welcomes_cursor_resumes_after_it(live_server: Server, public_community: Community):
    # given: dave then erin joined; dave's welcome is the last one a client saw
    dave, erin = await make_member("dave"), await make_member("erin")
    await join(dave, public_community)
    await join(erin, public_community)
    answer = await execute(
        live_server, OWN_WELCOME.replace("member {", "cursor member {"), {"slug": public_community.slug}, dave.token
    )
    daves_cursor = answer["data"]["community"]["viewerMembership"]["welcome"]["cursor"]
    # when: a client resumes after it
    variables = {"slug": public_community.slug, "after": daves_cursor}
    async with subscribed(live_server, dave) as session:
        async with aclosing(session.subscribe(GraphQLRequest(RESUMED, variable_values=variables))) as stream:
            following = (await asyncio.wait_for(anext(stream), WAIT_SECONDS))["welcomes"]
    # then: erin's comes next, with its own cursor
    assert following["member"] == {"username": "erin"}
    assert following["cursor"] != daves_cursor
