"""Curation by earned level: REGULARs edit tags, LEADERs pin posts (as moderators do)."""

from __future__ import annotations

import pytest

from models.communities import Community, Membership
from models.posts import PostKind
from resolvers.posts.curation import MAX_PINNED
from tests.factories import Persona, gid, make_post

SET_TAGS = "mutation T($id: ID!, $tags: [String!]!) { setPostTags(postId: $id, tags: $tags) { tags } }"
TAGS = "query T($id: ID!) { post(id: $id) { tags } }"
PIN = "mutation P($id: ID!, $pinned: Boolean!) { pinPost(postId: $id, pinned: $pinned) { title pinnedAt } }"
PINNED = "query Q($slug: String!) { community(slug: $slug) { pinnedPosts { title } } }"


async def reach(persona: Persona, community: Community, level: str) -> None:
    await Membership.filter(member_id=persona.member.id, community_id=community.id).update(level=level)


@pytest.mark.parametrize(("level", "allowed"), [("NEWCOMER", False), ("MEMBER", False), ("REGULAR", True)])
async def test_regulars_edit_the_tags_of_others_posts(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community, level: str, allowed: bool
):
    post = await make_post(owner_alice, public_community, tags=["pyhton"])
    await reach(member_bob, public_community, level)
    answer = await gql.execute(SET_TAGS, {"id": gid(post), "tags": ["Python", "asyncio"]}, token=member_bob.token)
    if allowed:
        assert answer["data"]["setPostTags"] == {"tags": ["python", "asyncio"]}
    else:
        assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert await gql.data(TAGS, {"id": gid(post)}) == {"post": {"tags": ["pyhton"]}}


async def test_authors_fix_their_own_tags_within_the_limits(gql, member_bob: Persona, public_community: Community):
    post = await make_post(member_bob, public_community, tags=["typo"])
    fixed = await gql.data(SET_TAGS, {"id": gid(post), "tags": []}, token=member_bob.token)
    assert fixed == {"setPostTags": {"tags": []}}
    too_many = await gql.error(
        SET_TAGS, {"id": gid(post), "tags": [f"t{i}" for i in range(11)]}, token=member_bob.token
    )
    assert too_many["extensions"] == {"code": "BAD_USER_INPUT", "field": "tags"}


@pytest.mark.parametrize(("level", "allowed"), [("REGULAR", False), ("LEADER", True)])
async def test_leaders_pin_posts_to_the_top(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community, level: str, allowed: bool
):
    post = await make_post(owner_alice, public_community, "Read me first")
    await reach(member_bob, public_community, level)
    answer = await gql.execute(PIN, {"id": gid(post), "pinned": True}, token=member_bob.token)
    pinned = (await gql.data(PINNED, {"slug": public_community.slug}))["community"]["pinnedPosts"]
    if allowed:
        assert answer["data"]["pinPost"]["pinnedAt"] is not None
        assert pinned == [{"title": "Read me first"}]
    else:
        assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert pinned == []


async def test_pins_are_few_published_and_undone_by_unpinning(gql, owner_alice: Persona, public_community: Community):
    posts = [await make_post(owner_alice, public_community, f"Post {n}") for n in range(MAX_PINNED + 1)]
    for post in posts[:MAX_PINNED]:
        await gql.data(PIN, {"id": gid(post), "pinned": True}, token=owner_alice.token)
    one_too_many = await gql.error(PIN, {"id": gid(posts[-1]), "pinned": True}, token=owner_alice.token)
    assert one_too_many["extensions"] == {"code": "CONFLICT", "field": "postId"}
    await gql.data(PIN, {"id": gid(posts[0]), "pinned": False}, token=owner_alice.token)
    await gql.data(PIN, {"id": gid(posts[-1]), "pinned": True}, token=owner_alice.token)
    pinned = (await gql.data(PINNED, {"slug": public_community.slug}))["community"]["pinnedPosts"]
    assert [p["title"] for p in pinned] == [f"Post {n}" for n in (MAX_PINNED, *range(MAX_PINNED - 1, 0, -1))]
    draft = await make_post(owner_alice, public_community, "Draft", kind=PostKind.DISCUSSION)
    draft.status = "DRAFT"
    await draft.save(update_fields=["status"])
    not_published = await gql.error(PIN, {"id": gid(draft), "pinned": True}, token=owner_alice.token)
    assert not_published["extensions"]["code"] == "CONFLICT"
