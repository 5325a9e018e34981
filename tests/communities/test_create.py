"""createCommunity through the GraphQL API."""

from __future__ import annotations

import asyncio

import pytest

import settings
from models.communities import Community, Membership
from resolvers.ratelimit import reset_limits
from tests.communities.helpers import CREATE_COMMUNITY
from tests.factories import Persona, make_community, make_member


async def test_creator_is_the_active_owner_and_the_only_member(gql, owner_alice: Persona):
    # given / when
    data = await gql.data(CREATE_COMMUNITY, {"input": {"name": "Rust Lyon"}}, token=owner_alice.token)
    # then
    community = data["createCommunity"]
    assert community["memberCount"] == 1
    assert community["viewerMembership"] == {"role": "OWNER", "status": "ACTIVE", "member": {"username": "alice"}}
    assert (community["visibility"], community["joinPolicy"]) == ("PUBLIC", "OPEN")


async def test_slug_is_derived_from_the_name_when_absent(gql, owner_alice: Persona):
    # given / when
    data = await gql.data(CREATE_COMMUNITY, {"input": {"name": "  Café & Code: Paris!  "}}, token=owner_alice.token)
    # then
    assert data["createCommunity"]["slug"] == "cafe-code-paris"
    assert data["createCommunity"]["name"] == "Café & Code: Paris!"


async def test_derived_slug_is_suffixed_when_taken(gql, owner_alice: Persona, member_bob: Persona):
    # given
    await make_community(owner_alice, "Rust Lyon")
    # when
    second = await gql.data(CREATE_COMMUNITY, {"input": {"name": "Rust LYON"}}, token=member_bob.token)
    third = await gql.data(CREATE_COMMUNITY, {"input": {"name": "rust lyon"}}, token=member_bob.token)
    # then
    assert second["createCommunity"]["slug"] == "rust-lyon-2"
    assert third["createCommunity"]["slug"] == "rust-lyon-3"


async def test_slug_is_derived_even_from_a_name_without_latin_letters(gql, owner_alice: Persona):
    # given / when
    data = await gql.data(CREATE_COMMUNITY, {"input": {"name": "日本語の会"}}, token=owner_alice.token)
    # then
    assert data["createCommunity"]["slug"] == "community"


async def test_explicit_slug_is_stored_lower_case(gql, owner_alice: Persona):
    # given / when
    data = await gql.data(CREATE_COMMUNITY, {"input": {"name": "Rust", "slug": "Rust-FR"}}, token=owner_alice.token)
    # then
    assert data["createCommunity"]["slug"] == "rust-fr"


@pytest.mark.parametrize("slug", ["ab", "a" * 51, "rust lyon", "rust_lyon", "rüst", "", "r" * 100_000])
async def test_bad_explicit_slug_is_rejected(gql, owner_alice: Persona, slug: str):
    # given / when
    error = await gql.error(CREATE_COMMUNITY, {"input": {"name": "Rust", "slug": slug}}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "slug"}
    assert await Community.all().count() == 0


async def test_taken_explicit_slug_is_a_conflict_and_writes_nothing(gql, owner_alice: Persona, member_bob: Persona):
    # given
    await make_community(owner_alice, "Python Paris", slug="python-paris")
    # when
    error = await gql.error(
        CREATE_COMMUNITY, {"input": {"name": "Other", "slug": "PYTHON-paris"}}, token=member_bob.token
    )
    # then
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["field"] == "slug"
    assert await Community.all().count() == 1
    assert await Membership.filter(member_id=member_bob.member.id).count() == 0


@pytest.mark.parametrize(("name", "field"), [("ab", "name"), ("   ", "name"), ("n" * 101, "name")])
async def test_bad_name_is_rejected(gql, owner_alice: Persona, name: str, field: str):
    # given / when
    error = await gql.error(CREATE_COMMUNITY, {"input": {"name": name}}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_too_long_description_is_rejected(gql, owner_alice: Persona):
    # given / when
    error = await gql.error(
        CREATE_COMMUNITY, {"input": {"name": "Rust", "description": "d" * 5001}}, token=owner_alice.token
    )
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "description"}


async def test_anonymous_cannot_create_a_community(gql):
    # given / when
    error = await gql.error(CREATE_COMMUNITY, {"input": {"name": "Rust Lyon"}})
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Community.all().count() == 0


async def test_concurrent_creations_with_the_same_name_all_get_a_slug(gql, owner_alice: Persona):
    # given
    creators = [owner_alice] + [await make_member(f"creator{i}") for i in range(3)]
    # when
    results = await asyncio.gather(
        *(gql.execute(CREATE_COMMUNITY, {"input": {"name": "Rust Lyon"}}, token=p.token) for p in creators)
    )
    # then: nobody asked for a slug, so nobody gets a slug conflict
    assert [r.get("errors") for r in results] == [None] * 4
    slugs = sorted(r["data"]["createCommunity"]["slug"] for r in results)
    assert slugs == ["rust-lyon", "rust-lyon-2", "rust-lyon-3", "rust-lyon-4"]


async def test_community_creation_is_rate_limited_per_member(
    gql, owner_alice: Persona, member_bob: Persona, monkeypatch: pytest.MonkeyPatch
):
    # given
    monkeypatch.setattr(settings, "RATE_LIMIT_MUTATIONS", "2/minute")
    reset_limits()
    for name in ("First one", "Second one"):
        await gql.data(CREATE_COMMUNITY, {"input": {"name": name}}, token=owner_alice.token)
    # when
    error = await gql.error(CREATE_COMMUNITY, {"input": {"name": "Third one"}}, token=owner_alice.token)
    other = await gql.data(CREATE_COMMUNITY, {"input": {"name": "Bob's one"}}, token=member_bob.token)
    # then
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert other["createCommunity"]["slug"] == "bob-s-one"
    assert await Community.filter(created_by_id=owner_alice.member.id).count() == 2


async def test_a_private_open_community_is_refused(gql, owner_alice: Persona):
    # given: nobody outside a private community sees it, so nobody could join it openly
    variables = {"input": {"name": "Hidden Club", "visibility": "PRIVATE", "joinPolicy": "OPEN"}}
    # when
    error = await gql.error(CREATE_COMMUNITY, variables, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "joinPolicy"}
    assert "APPROVAL or INVITE" in error["message"]
    assert await Community.all().count() == 0


@pytest.mark.parametrize("join_policy", ["APPROVAL", "INVITE"])
async def test_a_private_community_joined_by_approval_or_invitation_is_created(
    gql, owner_alice: Persona, join_policy: str
):
    # given / when
    variables = {"input": {"name": "Hidden Club", "visibility": "PRIVATE", "joinPolicy": join_policy}}
    data = await gql.data(CREATE_COMMUNITY, variables, token=owner_alice.token)
    # then
    assert (data["createCommunity"]["visibility"], data["createCommunity"]["joinPolicy"]) == ("PRIVATE", join_policy)
