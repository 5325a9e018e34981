"""Queueing email: a row in the outbox, in the transaction of what caused it (resolvers/outbox.py's `writing()`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.email import OutgoingEmail
from resolvers.outbox import Transaction


async def queue_email(
    tx: Transaction,
    *,
    template: str,
    to_address: str,
    member_id: int | None = None,
    params: dict[str, Any] | None = None,
    language: str | None = None,
) -> OutgoingEmail:
    """Send `template` (resolvers/email/templates/<lang>/<template>.txt and .html) once `tx` commits.

    `params` (JSON) are frozen now; the recipient's name, language and unsubscribe link are read at send time.
    `language` is for an address with no member (an invitation); a member's own language wins.
    """
    return await OutgoingEmail.create(
        using_db=tx,
        member_id=member_id,
        to_address=to_address,
        template=template,
        params=params or {},
        language=language,
        next_attempt_at=datetime.now(UTC),
    )
