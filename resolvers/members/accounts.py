"""The account's password and address: change them, verify the address, reset a forgotten password.

A wrong current password is BAD_USER_INPUT on the password's field, not UNAUTHENTICATED: the member's token is
fine, and clients read UNAUTHENTICATED as "log in again". Guesses count against the same per-account limit as
failed logins (resolvers/ratelimit.py), so a stolen token cannot be used to guess the password faster.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import settings
from models.members import AccountToken, Member, TokenPurpose
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.members.account_emails import queue_password_reset, queue_verification
from resolvers.members.members import MAX_PASSWORD, MIN_PASSWORD
from resolvers.members.sessions import device_of, end_sessions, open_session
from resolvers.members.tokens import find_token, spend_token, void_tokens
from resolvers.outbox import Transaction, writing
from resolvers.ratelimit import (
    account_email_wait,
    check_account_email_rate,
    check_login_attempt,
    check_rate,
    forget_login_failures,
)
from resolvers.security import hash_password, verify_password
from resolvers.validation import EMAIL_RE, check_length


def check_email(value: str, field: str) -> str:
    email = value.strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise BadUserInput(f"'{field}' is not a valid email address.", field=field)
    return email


def check_new_password(password: str, field: str) -> str:
    return check_length(password, field, min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)


async def check_own_password(ctx: Context, member: Member, password: str, field: str) -> None:
    """BAD_USER_INPUT on `field` unless `password` is the member's; limited like logins."""
    await check_rate(ctx, "login")
    await check_login_attempt(ctx, member.username)
    # Over the maximum is wrong, checked against the dummy hash at the same cost (as at login).
    stored_hash = member.password_hash if len(password) <= MAX_PASSWORD else None
    if not await verify_password(stored_hash, password[:MAX_PASSWORD]):
        raise BadUserInput("Wrong password.", field=field)
    await forget_login_failures(member.username)


# Password


async def do_change_password(ctx: Context, current_password: str, new_password: str) -> None:
    member = await ctx.require_viewer()
    check_new_password(new_password, "newPassword")
    await check_own_password(ctx, member, current_password, "currentPassword")
    password_hash = await hash_password(new_password)
    async with writing() as tx:
        await Member.filter(id=member.id).using_db(tx).update(password_hash=password_hash)
        await void_tokens(tx, member.id, TokenPurpose.RESET_PASSWORD)
        await end_sessions(tx, member.id, keep=ctx.session_id)


async def do_request_password_reset(ctx: Context, email: str) -> None:
    """Mail a reset link when the address is a member's; the same answer, in about the same time, when not."""
    await check_rate(ctx, "password-reset")
    email = check_email(email, "email")
    started = time.monotonic()
    # Counted for any address, so the limit says nothing either; past it, nothing more is sent to it.
    if await account_email_wait(email) is None:
        member = await Member.get_or_none(email=email, deleted_at=None, suspended_at=None)
        if member is not None:
            async with writing() as tx:
                await queue_password_reset(tx, member.id, email)
    await asyncio.sleep(max(0.0, settings.PASSWORD_RESET_ANSWER_SECONDS - (time.monotonic() - started)))


async def do_reset_password(ctx: Context, token: str, password: str) -> tuple[str, Member]:
    """Set a new password with a reset link's token, end every session, and log in: a new token."""
    await check_rate(ctx, "login")
    check_new_password(password, "password")
    await find_token(token, TokenPurpose.RESET_PASSWORD)  # before hashing: a bad token costs nothing
    password_hash = await hash_password(password)
    async with writing() as tx:
        row = await spend_token(tx, token, TokenPurpose.RESET_PASSWORD)
        member = await _token_holder(tx, row)
        member.password_hash = password_hash
        # The link reached the address: it is verified, and mail to it may flow again.
        member.email_verified_at = member.email_verified_at or datetime.now(UTC)
        member.email_bounced_at = None
        await member.save(using_db=tx, update_fields=["password_hash", "email_verified_at", "email_bounced_at"])
        await void_tokens(tx, member.id, TokenPurpose.RESET_PASSWORD)
        await end_sessions(tx, member.id)
        session_token = await open_session(tx, member.id, device_of(ctx))
    await forget_login_failures(member.username)
    return session_token, member


async def _token_holder(tx: Transaction, row: AccountToken) -> Member:
    """The member a spent token belongs to, still able to use it."""
    member = await Member.filter(id=row.member_id).using_db(tx).select_for_update().get()
    if member.deleted_at is not None or (row.purpose == TokenPurpose.RESET_PASSWORD and row.email != member.email):
        # Deleted since, or the address changed since the link was sent: the link is stale.
        raise BadUserInput("This link is invalid or has expired: ask for a new one.", field="token")
    if member.suspended_at is not None:
        raise Forbidden("This account is suspended.")
    return member


# Address


async def do_change_email(ctx: Context, email: str, password: str) -> None:
    """Mail a verification link to the new address; it becomes the member's once the link is used."""
    member = await ctx.require_viewer()
    email = check_email(email, "email")
    await check_own_password(ctx, member, password, "password")
    if email == member.email:
        raise BadUserInput("This is already your address.", field="email")
    if await Member.filter(email=email).exists():
        raise Conflict("An account with this email already exists.", field="email")
    await check_account_email_rate(ctx, f"member:{member.id}")
    async with writing() as tx:
        # The latest change asked for wins: links to other new addresses stop working.
        await void_tokens(tx, member.id, TokenPurpose.VERIFY_EMAIL, except_email=member.email)
        await queue_verification(tx, member.id, email, welcome=False)


async def do_request_email_verification(ctx: Context) -> bool:
    """Mail a new verification link: to the new address the member asked for while it awaits one (changeEmail),
    else to their address. False (nothing sent) when there is nothing to verify."""
    member = await ctx.require_viewer()
    address = await pending_email(member) or (member.email if member.email_verified_at is None else None)
    if address is None:
        return False
    await check_account_email_rate(ctx, f"member:{member.id}")
    async with writing() as tx:
        await queue_verification(tx, member.id, address, welcome=False)
    return True


async def do_verify_email(ctx: Context, token: str) -> Member:
    """Verify the address a link was sent to; when it is a new one, it becomes the member's address.

    No login needed: the link is proof enough, opened on whichever device reads the mail.
    """
    await check_rate(ctx, "mutation")
    async with writing() as tx:
        row = await spend_token(tx, token, TokenPurpose.VERIFY_EMAIL)
        member = await _token_holder(tx, row)
        if row.email != member.email:
            if await Member.filter(email=row.email).using_db(tx).exists():
                raise Conflict(
                    "An account with this email was registered since: the address stays yours.", field="email"
                )
            member.email = row.email
            # Links sent to the old address (a reset) no longer name the account's address.
            await void_tokens(tx, member.id, TokenPurpose.RESET_PASSWORD)
            await void_tokens(tx, member.id, TokenPurpose.VERIFY_EMAIL)
        member.email_verified_at = datetime.now(UTC)
        member.email_bounced_at = None
        await member.save(using_db=tx, update_fields=["email", "email_verified_at", "email_bounced_at"])
    ctx.loaders.member_by_id.prime(member.id, member, force=True)
    return member


async def pending_email(member: Member) -> str | None:
    """The new address the member asked for, while its link is live."""
    row = (
        await AccountToken.filter(
            member_id=member.id, purpose=TokenPurpose.VERIFY_EMAIL, used_at=None, expires_at__gt=datetime.now(UTC)
        )
        .exclude(email=member.email)
        .order_by("-id")
        .first()
    )
    return row.email if row is not None else None
