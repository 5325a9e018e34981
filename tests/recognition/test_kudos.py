"""giveKudos: public thanks that shows in the feed and the receiver's notifications, and earns them points."""

from __future__ import annotations

import pytest

import settings
from models.activity import Activity
from models.communities import Community
from models.points import Kudos
from tests.factories import Persona, make_post
from tests.recognition.test_earning import points

GIVE = """
mutation K($slug: String!, $to: String!, $message: String!) {
  giveKudos(input: {communitySlug: $slug, toUsername: $to, message: $message}) {
    id message from { username } to { username }
  }
}
"""
LISTS = """
query L($slug: String!) {
  community(slug: $slug) { kudos(first: 5) { totalCount edges { node { message to { username } } } } }
  notifications(first: 5) { edges { node { kind summary excerpt subjectId } } }
}
"""


def kudos_to(community: Community, username: str, message: str = "Thanks for the great talk!") -> dict:
    return {"slug": community.slug, "to": username, "message": message}


async def test_kudos_thank_in_public_notify_and_earn_points(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # when
    given = (await gql.data(GIVE, kudos_to(public_community, "bob"), token=owner_alice.token))["giveKudos"]
    # then
    assert (given["from"], given["to"], given["message"]) == (
        {"username": "alice"},
        {"username": "bob"},
        "Thanks for the great talk!",
    )
    assert await points(gql, member_bob, public_community) == 10
    seen_by_bob = await gql.data(LISTS, {"slug": public_community.slug}, token=member_bob.token)
    assert seen_by_bob["community"]["kudos"]["edges"] == [
        {"node": {"message": "Thanks for the great talk!", "to": {"username": "bob"}}}
    ]
    by_kind = {e["node"]["kind"]: e["node"] for e in seen_by_bob["notifications"]["edges"]}
    assert "LEVEL_UP" in by_kind  # 10 points and a day of activity: MEMBER
    assert by_kind["KUDOS"] == {
        "kind": "KUDOS",
        "summary": "Alice thanked you in “Python Paris”",
        "excerpt": "Thanks for the great talk!",
        "subjectId": given["id"],
    }
    logged = await Activity.filter(community_id=public_community.id, verb="KUDOS").get()
    assert (logged.actor_id, logged.payload["title"]) == (owner_alice.member.id, "Bob")


@pytest.mark.parametrize(
    ("who", "to", "message", "code", "field"),
    [
        ("alice", "alice", "Me!", "FORBIDDEN", "toUsername"),  # nobody rewards themselves
        ("alice", "mallory", "Hi", "NOT_FOUND", "toUsername"),
        ("alice", "bob", " ", "BAD_USER_INPUT", "message"),
        ("alice", "bob", "x" * 501, "BAD_USER_INPUT", "message"),
        ("bob", "alice", "Hi", "FORBIDDEN", None),  # a NEWCOMER: kudos come with level MEMBER
        ("mallory", "bob", "Hi", "FORBIDDEN", None),
        (None, "bob", "Hi", "UNAUTHENTICATED", None),
    ],
)
async def test_kudos_are_between_members_and_never_to_yourself(
    gql, owner_alice, member_bob, outsider_mallory, public_community, who, to, message, code, field
):
    personas = {"alice": owner_alice, "bob": member_bob, "mallory": outsider_mallory}
    token = personas[who].token if who else None
    error = await gql.error(GIVE, kudos_to(public_community, to, message), token=token)
    assert error["extensions"]["code"] == code
    assert error["extensions"].get("field") == field
    assert await Kudos.all().count() == 0


async def test_kudos_are_rate_limited_per_giver(
    gql, monkeypatch, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    monkeypatch.setattr(settings, "RATE_LIMIT_KUDOS", "2/day")
    for _ in range(2):
        await gql.data(GIVE, kudos_to(public_community, "bob"), token=owner_alice.token)
    error = await gql.error(GIVE, kudos_to(public_community, "bob"), token=owner_alice.token)
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert await Kudos.all().count() == 2


MEMBER_PAGE = """
query P($username: String!) {
  member(username: $username) {
    memberships {
      edges {
        node {
          community { slug }
          points level badges { badge { slug } }
          kudosReceived(first: 5) { totalCount edges { node { message from { username } } } }
        }
      }
    }
  }
}
"""


async def test_a_member_page_shows_points_level_badges_and_kudos_received_per_community(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: bob posted once and alice thanked him twice
    await make_post(member_bob, public_community)
    for message in ("Great talk", "Thanks for the slides"):
        await gql.data(GIVE, kudos_to(public_community, "bob", message), token=owner_alice.token)
    # when: anyone opens bob's page
    page = await gql.data(MEMBER_PAGE, {"username": "bob"})
    # then
    (here,) = [e["node"] for e in page["member"]["memberships"]["edges"]]
    assert here["community"] == {"slug": public_community.slug}
    assert (here["points"], here["level"]) == (25, "MEMBER")
    assert [b["badge"]["slug"] for b in here["badges"]] == ["first-post"]
    assert here["kudosReceived"]["totalCount"] == 2
    assert [(e["node"]["message"], e["node"]["from"]["username"]) for e in here["kudosReceived"]["edges"]] == [
        ("Thanks for the slides", "alice"),
        ("Great talk", "alice"),
    ]
