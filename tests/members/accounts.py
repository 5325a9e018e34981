"""Shared by the account tests: the account emails queued, and their tokens."""

from __future__ import annotations

from models.email import OutgoingEmail

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
