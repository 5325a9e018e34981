"""STAND-IN for helper A's sessions module (branch h-sessions): the same signatures, none of the behaviour.

The lead takes A's file at merge. Until then a token names no session and ending sessions does nothing, so the
tests that need sessions (tests/members/test_*: `needs_sessions`) are expected to fail.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from resolvers.outbox import Transaction
from resolvers.security import issue_token


async def open_session(conn: BaseDBAsyncClient, member_id: int, device: str | None) -> str:
    """A token for a new session of the member (stand-in: a plain token)."""
    return issue_token(member_id)


async def end_sessions(tx: Transaction, member_id: int, *, keep: str | None = None) -> None:
    """Revoke every session of the member but `keep` (stand-in: nothing)."""
