"""`Member.memberships(includePending:)`: a member's own communities, with the requests waiting for approval."""

from __future__ import annotations

from models.communities import Community, Visibility
from tests.communities.helpers import approval_community
from tests.factories import Persona, join, make_member

MEMBERSHIPS = """
query Memberships($username: String!, $pending: Boolean!) {
  member(username: $username) {
    memberships(includePending: $pending) { edges { node { status community { slug } } } }
  }
}
"""


async def memberships(gql, persona: Persona | None, username: str, pending: bool) -> list[tuple[str, str]]:
    data = await gql.data(MEMBERSHIPS, {"username": username, "pending": pending}, token=persona and persona.token)
    edges = data["member"]["memberships"]["edges"]
    return [(edge["node"]["community"]["slug"], edge["node"]["status"]) for edge in edges]


async def test_a_member_sees_their_pending_request_beside_their_communities(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    club = await approval_community(owner_alice)
    await join(member_bob, club)
    assert await memberships(gql, member_bob, "bob", pending=True) == [
        (public_community.slug, "ACTIVE"),
        (club.slug, "PENDING"),
    ]
    assert await memberships(gql, member_bob, "bob", pending=False) == [(public_community.slug, "ACTIVE")]


async def test_a_pending_request_to_a_private_community_is_shown_to_its_requester(
    gql, owner_alice: Persona, member_bob: Persona
):
    club = await approval_community(owner_alice, visibility=Visibility.PRIVATE)
    await join(member_bob, club)
    assert await memberships(gql, member_bob, "bob", pending=True) == [(club.slug, "PENDING")]


async def test_nobody_reads_someone_elses_pending_requests(gql, owner_alice: Persona, member_bob: Persona):
    club = await approval_community(owner_alice)
    await join(member_bob, club)
    mallory = await make_member("mallory")
    for viewer in (owner_alice, mallory, None):
        error = await gql.error(MEMBERSHIPS, {"username": "bob", "pending": True}, token=viewer and viewer.token)
        assert error["extensions"]["code"] == "FORBIDDEN"
    assert await memberships(gql, mallory, "bob", pending=False) == []
