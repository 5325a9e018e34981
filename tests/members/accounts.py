"""Shared by the account tests: the account emails queued, their tokens, and sessions (helper A's)."""

from __future__ import annotations

import pytest

from models.email import OutgoingEmail

# STAND-IN marker until helper A's sessions (branch h-sessions) are merged: with them these tests pass, and
# strict xfail then fails them, so the marker is removed at the merge.
needs_sessions = pytest.mark.xfail(
    reason="needs helper A's sessions (h-sessions): the stand-in resolvers/members/sessions.py ends no session",
    strict=True,
)

ME = "query { me { username email emailVerified pendingEmail formerMember } }"


async def emails_to(address: str, template: str | None = None) -> list[OutgoingEmail]:
    query = OutgoingEmail.filter(to_address=address).order_by("id")
    if template is not None:
        query = query.filter(template=template)
    return await query


async def last_token(address: str, template: str) -> str:
    """The token of the last `template` email queued to `address`."""
    emails = await emails_to(address, template)
    assert emails, f"no {template} email to {address}"
    return emails[-1].params["token"]
