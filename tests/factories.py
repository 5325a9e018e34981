"""Async factories and named personas. They call the resolvers, so data is made as users make it."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from tortoise.models import Model

from models.communities import Community, JoinPolicy, Visibility
from models.members import Member
from models.posts import Comment, Post, PostKind
from resolvers.communities.creation import do_create_community
from resolvers.communities.invitations import do_create_invitation
from resolvers.communities.membership import do_join_community
from resolvers.context import Context
from resolvers.ids import to_global_id
from resolvers.members import members
from resolvers.posts import posts
from resolvers.posts.comments import do_add_comment

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


@dataclass
class Persona:
    member: Member
    token: str

    @property
    def ctx(self) -> Context:
        return Context(viewer_id=self.member.id, ip="127.0.0.1")

    @property
    def username(self) -> str:
        return self.member.username


async def make_member(username: str | None = None, *, skills: list[str] | None = None, **profile: str) -> Persona:
    username = username or f"member{next(_numbers)}"
    token, member = await members.do_register(
        Context(viewer_id=None, ip="127.0.0.1"),
        members.Registration(
            username=username, email=f"{username}@example.org", password=PASSWORD, skills=skills, **profile
        ),
    )
    return Persona(member, token)


async def make_community(
    owner: Persona,
    name: str | None = None,
    *,
    slug: str | None = None,
    visibility: Visibility = Visibility.PUBLIC,
    join_policy: JoinPolicy = JoinPolicy.OPEN,
) -> Community:
    return await do_create_community(
        owner.ctx,
        name=name or f"Community {next(_numbers)}",
        slug=slug,
        description=None,
        visibility=visibility,
        join_policy=join_policy,
    )


async def join(persona: Persona, community: Community, invite_code: str | None = None) -> None:
    await do_join_community(persona.ctx, community.slug, invite_code)


async def make_post(
    author: Persona,
    community: Community,
    title: str = "A post",
    body: str = "Some *text*",
    *,
    kind: PostKind = PostKind.DISCUSSION,
    tags: list[str] | None = None,
) -> Post:
    return await posts.do_create_post(
        author.ctx, posts.NewPost(community_slug=community.slug, title=title, body=body, kind=kind, tags=tags)
    )


async def introduction_of(persona: Persona, community: Community) -> Post:
    """The INTRODUCTION post the welcome made when `persona` became a member (exactly one)."""
    return await Post.get(author_id=persona.member.id, community_id=community.id, kind=PostKind.INTRODUCTION)


async def make_comment(author: Persona, post: Post, body: str = "A comment", parent: Comment | None = None) -> Comment:
    return await do_add_comment(author.ctx, gid(post), body, gid(parent) if parent else None)


def gid(row: Model) -> str:
    return to_global_id(type(row).__name__, row.pk)


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collects every SQL statement Tortoise sends while the block runs."""
    statements: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            statements.append(record.getMessage())

    logger = logging.getLogger("tortoise.db_client")
    handler, level = Collector(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
async def owner_alice() -> Persona:
    return await make_member("alice", skills=["python", "writing"], display_name="Alice")


@pytest.fixture
async def member_bob() -> Persona:
    return await make_member("bob", skills=["design"], display_name="Bob")


@pytest.fixture
async def outsider_mallory() -> Persona:
    return await make_member("mallory", display_name="Mallory")


@pytest.fixture
async def public_community(owner_alice: Persona, member_bob: Persona) -> Community:
    community = await make_community(owner_alice, "Python Paris", slug="python-paris")
    await join(member_bob, community)
    return community


@pytest.fixture
async def private_community(owner_alice: Persona, member_bob: Persona) -> Community:
    community = await make_community(
        owner_alice,
        "Secret Garden",
        slug="secret-garden",
        visibility=Visibility.PRIVATE,
        join_policy=JoinPolicy.INVITE,
    )
    invitation = await do_create_invitation(owner_alice.ctx, community.slug, max_uses=None, expires_in_hours=None)
    await join(member_bob, community, invitation.code)
    return community
