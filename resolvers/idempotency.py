"""Idempotency keys: a mutation repeated with the same `Idempotency-Key` by the same member writes once.

Following the IETF draft (draft-ietf-httpapi-idempotency-key-header): the first
request claims the key before it runs; a repeat within KEPT_FOR gets the first
answer back without running again, a repeat while the first still runs is a
conflict, and a key reused for another request is refused.

What a key protects is a write. The transaction of the write marks the claim
APPLIED as it commits (`mark_applied`), so "written" and "claimed as written"
cannot disagree. A request that failed having committed nothing gives its key
back: running it again can write nothing twice, and a client whose first
attempt failed on a passing fault gets a real second attempt. A repeat of a
request whose write committed but whose answer failed or was lost (the
process died in between) is told so (CONFLICT), never run again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from models.database import DatabaseUnavailable
from models.idempotency import IdempotentRequest, RequestState
from resolvers.errors import Conflict

KEPT_FOR = timedelta(hours=24)
# A claim still RUNNING after this long is taken to be abandoned (its process died, or its claim was
# written but the answer to the INSERT lost): a repeat may take it over rather than wait a day. Should
# the first request still be running after all, its commit fails (`mark_applied`): one of them writes.
ABANDONED_AFTER = timedelta(seconds=30)
MAX_KEY_LENGTH = 255
PRUNE_BATCH = 1000


@dataclass
class Claim:
    """The current request's hold on its key: the row, and the `created_at` it wrote there (its lease)."""

    request_id: int
    leased_at: datetime

    def rows(self) -> QuerySet[IdempotentRequest]:
        """The claim's row, as long as this request holds it (a repeat that took it over wrote another lease)."""
        return IdempotentRequest.filter(id=self.request_id, created_at=self.leased_at)


_current: ContextVar[Claim | None] = ContextVar("cercle_idempotency_claim", default=None)


def parse_key(header: str) -> str | None:
    """The key of an `Idempotency-Key` header (a structured-field string, quotes optional), or None if malformed."""
    key = header.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all("\x21" <= ch <= "\x7e" for ch in key):
        return None
    return key


def fingerprint(query: str, variables: object, operation_name: str | None) -> str:
    """What makes two requests the same request: the document, its variables and the operation chosen."""
    request = orjson.dumps([query, variables, operation_name], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(request).hexdigest()


async def claim(member_id: int, key: str, request_fingerprint: str) -> Claim | IdempotentRequest:
    """A new claim on the key, or the earlier request that holds it."""
    now = datetime.now(UTC)
    for _ in range(3):  # the holder may give the key back (or expire) between our insert and our read
        try:
            row = await IdempotentRequest.create(
                member_id=member_id,
                key=key,
                fingerprint=request_fingerprint,
                state=RequestState.RUNNING,
                created_at=now,
            )
            return Claim(row.id, now)
        except IntegrityError:
            pass
        except DatabaseUnavailable:
            # The INSERT may have committed all the same: take it back, or the repeat would wait for it.
            with suppress(DatabaseUnavailable):
                await IdempotentRequest.filter(member_id=member_id, key=key, created_at=now).delete()
            raise
        held = await IdempotentRequest.get_or_none(member_id=member_id, key=key)
        if held is None:
            continue
        if held.created_at < now - KEPT_FOR:
            await IdempotentRequest.filter(id=held.id, created_at=held.created_at).delete()
            continue
        abandoned = held.state == RequestState.RUNNING and held.created_at < now - ABANDONED_AFTER
        if abandoned and held.fingerprint == request_fingerprint:
            taken = IdempotentRequest.filter(id=held.id, state=RequestState.RUNNING, created_at=held.created_at)
            if await taken.update(created_at=now):
                return Claim(held.id, now)
            continue
        return held
    raise RuntimeError(f"could not claim idempotency key {key!r}")  # pragma: no cover - three races in a row


@contextmanager
def holding(current: Claim | None) -> Iterator[None]:
    """While the request runs, its transactions mark `current` as they commit writes (None: work done for no
    request in particular, whose writes mark no key)."""
    token = _current.set(current)
    try:
        yield
    finally:
        _current.reset(token)


async def mark_applied(conn: BaseDBAsyncClient) -> None:
    """Inside a write's transaction, just before it commits: the request's key now stands for a committed write."""
    current = _current.get()
    if current is None:
        return
    if not await current.rows().filter(state=RequestState.RUNNING).using_db(conn).update(state=RequestState.APPLIED):
        raise Conflict("A repeat of this request took its `Idempotency-Key` over, so this one wrote nothing.")


@dataclass
class Answer:
    status_code: int
    media_type: str
    body: bytes
    complete: bool  # the mutation answered with its data (not a failure of the whole request)


async def settle(current: Claim, answer: Answer | None) -> None:
    """Keep a complete answer for repeats. Otherwise give the key back if nothing was committed;
    after a committed write the claim stays APPLIED, and repeats are told to read the result instead
    (replaying an error, perhaps one that says "try again", would send the client round in circles).

    The claim's state in the table, not in memory, says whether a write committed: a transaction that
    marked it and then failed to commit left it RUNNING.
    """
    claimed = current.rows()
    if answer is not None and answer.complete:
        await claimed.update(
            state=RequestState.ANSWERED,
            status_code=answer.status_code,
            media_type=answer.media_type,
            body=answer.body.decode(),
        )
    else:
        await claimed.filter(state=RequestState.RUNNING).delete()


async def prune_idempotent_requests(now: datetime | None = None) -> int:
    """Forget keys older than KEPT_FOR (a scheduled job), a batch at a time."""
    cutoff = (now or datetime.now(UTC)) - KEPT_FOR
    deleted = 0
    while ids := await IdempotentRequest.filter(created_at__lt=cutoff).limit(PRUNE_BATCH).values_list("id", flat=True):
        await IdempotentRequest.filter(id__in=ids).delete()
        deleted += len(ids)
    return deleted
