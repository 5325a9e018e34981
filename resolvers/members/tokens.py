"""Single-use, expiring tokens sent by email (address verification, password reset).

The raw token goes only into the email; the database keeps its SHA-256, so a leaked database reveals no
usable link. A token is spent by a conditional UPDATE (`used_at IS NULL`), so two concurrent uses cannot both
succeed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from models.members import AccountToken, TokenPurpose
from resolvers.errors import BadUserInput
from resolvers.outbox import Transaction

# secrets.token_urlsafe(32) is 43 characters; anything much longer is no token of ours.
MAX_TOKEN_LENGTH = 100


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


async def make_token(tx: Transaction, *, member_id: int, purpose: TokenPurpose, email: str, lifetime: timedelta) -> str:
    """A new raw token, stored by its digest; valid for `lifetime`."""
    token = secrets.token_urlsafe(32)
    await AccountToken.create(
        using_db=tx,
        member_id=member_id,
        purpose=purpose,
        digest=digest_of(token),
        email=email,
        expires_at=datetime.now(UTC) + lifetime,
    )
    return token


def _invalid() -> BadUserInput:
    # One message for unknown, forged, expired, used and wrong-purpose tokens: nothing to learn from it.
    return BadUserInput("This link is invalid or has expired: ask for a new one.", field="token")


async def find_token(token: str, purpose: TokenPurpose) -> AccountToken:
    """The live token of this purpose (not used, not expired), or BAD_USER_INPUT on field `token`."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise _invalid()
    row = await AccountToken.get_or_none(digest=digest_of(token))
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= datetime.now(UTC):
        raise _invalid()
    return row


async def spend_token(tx: Transaction, token: str, purpose: TokenPurpose) -> AccountToken:
    """Mark the token used, once: a second use (even a concurrent one) is BAD_USER_INPUT on field `token`."""
    row = await find_token(token, purpose)
    spent = await AccountToken.filter(id=row.id, used_at=None).using_db(tx).update(used_at=datetime.now(UTC))
    if spent != 1:
        raise _invalid()
    return row


async def void_tokens(
    tx: Transaction, member_id: int, purpose: TokenPurpose, *, except_email: str | None = None
) -> None:
    """Spend the member's live tokens of `purpose` (but those for `except_email`): a newer step supersedes them."""
    query = AccountToken.filter(member_id=member_id, purpose=purpose, used_at=None).using_db(tx)
    if except_email is not None:
        query = query.exclude(email=except_email)
    await query.update(used_at=datetime.now(UTC))
