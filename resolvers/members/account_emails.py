"""The account emails: address verification (the welcome email at registration) and password reset.

Each is a row in the email outbox, queued in the transaction that asks for it, with a fresh single-use token.
"""

from __future__ import annotations

from datetime import timedelta

import settings
from models.members import TokenPurpose
from resolvers.email.outbox import queue_email
from resolvers.members.tokens import make_token
from resolvers.outbox import Transaction


async def queue_verification(tx: Transaction, member_id: int, email: str, *, welcome: bool) -> None:
    """Mail `email` a link that verifies it (and makes it the member's address, when it is a new one)."""
    lifetime = timedelta(hours=settings.VERIFY_EMAIL_TOKEN_HOURS)
    token = await make_token(tx, member_id=member_id, purpose=TokenPurpose.VERIFY_EMAIL, email=email, lifetime=lifetime)
    await queue_email(
        tx, template="verify_email", to_address=email, member_id=member_id, params={"token": token, "welcome": welcome}
    )


async def queue_password_reset(tx: Transaction, member_id: int, email: str) -> None:
    lifetime = timedelta(minutes=settings.RESET_PASSWORD_TOKEN_MINUTES)
    token = await make_token(
        tx, member_id=member_id, purpose=TokenPurpose.RESET_PASSWORD, email=email, lifetime=lifetime
    )
    await queue_email(tx, template="reset_password", to_address=email, member_id=member_id, params={"token": token})
