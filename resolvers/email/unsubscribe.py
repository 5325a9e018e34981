"""Signed one-click unsubscribe tokens (RFC 8058): `<member id>.<preference>.<signature>`.

The signature is an HMAC-SHA256 of the rest with SECRET_KEY, in a domain of its own (a login token cannot pass
for one, nor one for a login). No expiry: a link in a years-old email still unsubscribes. A forged or altered
token fails the signature check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

import settings
from resolvers.email.preferences import Preference, turn_off
from resolvers.errors import BadUserInput

_DOMAIN = b"cercle/unsubscribe/v1:"
_SIGNATURE_BYTES = 16  # 128 bits: unguessable, and a short link
_MAX_TOKEN_LENGTH = 100


@cache
def _key() -> bytes:
    """Read once: a digest to 10,000 members signs 10,000 links (and the development key's warning shows once)."""
    return settings.effective_secret_key().encode()


def _signature(payload: str) -> str:
    digest = hmac.new(_key(), _DOMAIN + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_SIGNATURE_BYTES]).rstrip(b"=").decode()


def unsubscribe_token(member_id: int, preference: Preference) -> str:
    payload = f"{member_id}.{preference.value}"
    return f"{payload}.{_signature(payload)}"


def read_unsubscribe_token(token: str) -> tuple[int, Preference]:
    """The member and preference a genuine token names; BAD_USER_INPUT (field token) for anything else."""
    invalid = BadUserInput("This unsubscribe link is not valid: use the link from the email as it came.", field="token")
    if len(token) > _MAX_TOKEN_LENGTH or token.count(".") != 2:
        raise invalid
    member, preference, signature = token.split(".")
    if not hmac.compare_digest(signature.encode(), _signature(f"{member}.{preference}").encode()):
        raise invalid
    return int(member), Preference(preference)  # signed by us: well formed


async def do_unsubscribe(token: str) -> Preference:
    member_id, preference = read_unsubscribe_token(token)
    await turn_off(member_id, preference)
    return preference
