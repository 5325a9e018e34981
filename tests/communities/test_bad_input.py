"""Malformed arguments get a clear error with a code, never an internal error, on every backend."""

from __future__ import annotations

import pytest

from models.communities import Community
from tests.communities.helpers import COMMUNITY, CREATE_COMMUNITY, JOIN, SET_ROLE
from tests.factories import Persona

NUL = "\u0000"
SEARCH = "query S($search: String) { communities(search: $search) { totalCount } }"


@pytest.mark.parametrize("slug", [f"python-paris{NUL}", f"{NUL}python-paris", "p" * 10_000, ""])
async def test_community_with_a_malformed_slug_is_null(gql, public_community: Community, slug: str):
    # given / when
    body = await gql.execute(COMMUNITY, {"slug": slug})
    # then
    assert body == {"data": {"community": None}}


@pytest.mark.parametrize("search", [f"py{NUL}", "s" * 101])
async def test_malformed_search_is_bad_user_input(gql, public_community: Community, search: str):
    # given / when
    error = await gql.error(SEARCH, {"search": search})
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "search"}


async def test_joining_a_malformed_slug_is_not_found(gql, public_community: Community, outsider_mallory: Persona):
    # given / when
    error = await gql.error(JOIN, {"slug": f"python{NUL}paris"}, token=outsider_mallory.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "slug"}


@pytest.mark.parametrize("code", [f"abc{NUL}", "a code with spaces", "é" * 10])
async def test_malformed_invitation_code_is_bad_user_input(
    gql, public_community: Community, outsider_mallory: Persona, code: str
):
    # given / when
    error = await gql.error(JOIN, {"slug": public_community.slug, "code": code}, token=outsider_mallory.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "inviteCode"}


async def test_set_role_of_a_malformed_username_is_not_found(gql, public_community: Community, owner_alice: Persona):
    # given / when
    variables = {"slug": public_community.slug, "username": f"bob{NUL}", "role": "MANAGER"}
    error = await gql.error(SET_ROLE, variables, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "username"}


@pytest.mark.parametrize(
    ("field", "value"), [("name", f"Rust{NUL}Lyon"), ("name", "Rust\nLyon"), ("description", f"About{NUL}")]
)
async def test_create_community_rejects_control_characters(gql, owner_alice: Persona, field: str, value: str):
    # given / when
    error = await gql.error(CREATE_COMMUNITY, {"input": {"name": "Rust Lyon", field: value}}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await Community.all().count() == 0


async def test_wrong_argument_types_get_a_code(gql, public_community: Community, owner_alice: Persona):
    # given / when
    error = await gql.error(SET_ROLE, {"slug": 1, "username": "bob", "role": "KING"}, token=owner_alice.token)
    # then
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
