"""`Notification.subject`: what a notification is about, for a link to it, seen by the rules of `node(id:)`."""

from __future__ import annotations

from datetime import UTC, datetime

from models.communities import Community, Membership
from models.posts import Comment
from tests.factories import Persona, gid, make_comment, make_post

SUBJECTS = """
query Subjects {
  notifications(first: 20) {
    edges { node { kind subjectId subject { __typename id ... on Comment { post { id } } } } }
  }
}
"""


async def replies_to(gql, persona: Persona) -> list[dict]:
    data = await gql.data(SUBJECTS, token=persona.token)
    return [edge["node"] for edge in data["notifications"]["edges"] if edge["node"]["kind"] == "REPLY"]


async def test_a_reply_names_the_comment_and_its_post(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(member_bob, public_community, "Pairing tips?")
    comment = await make_comment(owner_alice, post, "Try ping-pong")
    # when
    (reply,) = await replies_to(gql, member_bob)
    # then
    assert reply["subjectId"] == gid(comment)
    assert reply["subject"] == {"__typename": "Comment", "id": gid(comment), "post": {"id": gid(post)}}


async def test_a_deleted_subject_or_one_hidden_since_is_null(
    gql, owner_alice: Persona, member_bob: Persona, private_community: Community
):
    # given: two replies to bob in a private community; one comment is deleted, then bob is no longer a member
    post = await make_post(member_bob, private_community, "Plans")
    deleted = await make_comment(owner_alice, post, "Withdrawn")
    await make_comment(owner_alice, post, "Still here")
    await Comment.filter(id=deleted.id).update(deleted_at=datetime.now(UTC))
    before = await replies_to(gql, member_bob)
    await Membership.filter(member_id=member_bob.member.id, community_id=private_community.id).delete()
    # when
    after = await replies_to(gql, member_bob)
    # then: the subject id stays, what it names is no longer shown
    assert sorted(reply["subject"] is None for reply in before) == [False, True]
    assert [reply["subject"] for reply in after] == [None, None]
