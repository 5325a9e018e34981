"""What the triggers queued: the outbox rows of one template, as (recipient, params) a test can compare."""

from __future__ import annotations

from typing import Any

from models.email import OutgoingEmail


async def queued(template: str) -> dict[str, dict[str, Any]]:
    """The queued rows of `template` by recipient address (each address at most once, or the test fails)."""
    rows = await OutgoingEmail.filter(template=template).order_by("id")
    by_address = {row.to_address: row.params for row in rows}
    assert len(by_address) == len(rows), f"an address got two {template} emails: {[r.to_address for r in rows]}"
    return by_address


async def queued_rows(template: str) -> list[OutgoingEmail]:
    return await OutgoingEmail.filter(template=template).order_by("id")
