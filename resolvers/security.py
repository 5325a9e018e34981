"""Passwords (argon2) and signed, expiring tokens (JWT, HS256)."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

import settings

_hasher = PasswordHasher()
# Verified against when the login is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("cercle-dummy-password")
TOKEN_ALGORITHM = "HS256"


# A hash costs a few hundred milliseconds of CPU: on the event loop it would stall every other
# request. argon2 releases the GIL, so threads hash in parallel with the loop; a fixed number of
# them, so a burst of logins waits its turn instead of spawning threads or starving the CPU.
_hashing = ThreadPoolExecutor(max_workers=settings.PASSWORD_HASH_THREADS, thread_name_prefix="password-hash")


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_hashing, _hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an absent hash costs the same time, and is False."""
    return await asyncio.get_running_loop().run_in_executor(_hashing, _matches, password_hash, password)


def _matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _secret() -> str:
    return settings.effective_secret_key()


# Session ids: 32 hex digits (128 random bits), the width of Session.id.
SESSION_ID_RE = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class TokenClaims:
    member_id: int
    session_id: str


def issue_token(member_id: int, session_id: str) -> str:
    now = int(time.time())
    claims = {"sub": str(member_id), "sid": session_id, "iat": now, "exp": now + settings.TOKEN_TTL_SECONDS}
    return jwt.encode(claims, _secret(), algorithm=TOKEN_ALGORITHM)


def token_claims(token: str) -> TokenClaims | None:
    """The member and session a token names, or None when it is forged, expired or malformed (a token from
    before sessions, without `sid`, included: its member logs in again)."""
    try:
        claims = jwt.decode(token, _secret(), algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "sub", "sid"]})
        member_id, session_id = int(claims["sub"]), claims["sid"]
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    if not isinstance(session_id, str) or not SESSION_ID_RE.fullmatch(session_id):
        return None
    return TokenClaims(member_id, session_id)


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
