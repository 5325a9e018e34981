"""Sessions: each login is a Session row, and a token names its session (`sid`).

Every authenticated request checks its session (not revoked, its member neither suspended nor deleted). The answer
is kept per process for SESSION_CHECK_SECONDS, so a busy member costs one query every few seconds, not one per
request; a revocation reaches every process at once through the broker (realtime/sessions.py), and otherwise
within those seconds. Last-seen times are written at most once a minute per session per process, in the background.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

import settings
from models.members import Member, Session
from realtime.messages import sessions_ended_message
from realtime.sessions import on_sessions_ended
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import MAX_ID_LENGTH
from resolvers.outbox import Transaction, after_commit, queue, writing
from resolvers.ratelimit import check_rate
from resolvers.security import SESSION_ID_RE, issue_token, token_claims

logger = logging.getLogger("cercle.sessions")

MAX_DEVICE = 200  # Session.device's width: User-Agents can be much longer
# Beyond this many cached checks, expired ones are dropped (each is a few hundred bytes).
MAX_CACHED_CHECKS = 10_000
CHECK_BATCH = 500  # session ids per query (SQLite takes 999 parameters at most on older versions)


@dataclass(frozen=True)
class Authentication:
    """Who a request's token authenticates: `viewer_id` and `session_id` are None when anonymous or refused."""

    viewer_id: int | None = None
    session_id: str | None = None
    token_invalid: bool = False  # a token came, and was refused: the member must log in again


@dataclass
class _Check:
    member_id: int
    valid: bool
    until: float  # time.monotonic() after which the database is asked again


_checks: dict[str, _Check] = {}
_last_seen_written: dict[str, float] = {}  # session id -> monotonic time of this process's last write
_background: set[asyncio.Task[None]] = set()


def session_global_id(session_id: str) -> str:
    """An opaque global id, as every id of the API: base64 of "Session:<its 32 hex digits>"."""
    return base64.urlsafe_b64encode(f"Session:{session_id}".encode()).decode().rstrip("=")


def session_id_of(global_id: str) -> str:
    """The session an id names, written exactly as session_global_id writes it; BAD_USER_INPUT for anything else."""
    if len(global_id) <= MAX_ID_LENGTH:
        try:
            padded = global_id + "=" * (-len(global_id) % 4)
            type_name, _, key = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        except (binascii.Error, UnicodeError, ValueError):
            pass
        else:
            if type_name == "Session" and SESSION_ID_RE.fullmatch(key) and session_global_id(key) == global_id:
                return key
    raise BadUserInput(f"'{global_id[:60]}' is not the id of a session.", field="id")


def new_session_id() -> str:
    return secrets.token_hex(16)


def device_of(ctx: Context) -> str | None:
    """The User-Agent a request came with, cut to fit Session.device."""
    user_agent = (ctx.request.headers.get("user-agent") if ctx.request is not None else None) or ""
    return user_agent.strip()[:MAX_DEVICE] or None


async def open_session(conn: BaseDBAsyncClient, member_id: int, device: str | None) -> str:
    """A new session of the member (device: see device_of), and the token that names it."""
    session_id = new_session_id()
    now = datetime.now(UTC)
    await Session.create(
        using_db=conn, id=session_id, member_id=member_id, device=device, created_at=now, last_seen_at=now
    )
    # Known valid here: the first requests of a new login cost no check and no write.
    _remember(session_id, member_id, valid=True)
    _last_seen_written[session_id] = time.monotonic()
    return issue_token(member_id, session_id)


def _remember(session_id: str, member_id: int, *, valid: bool) -> None:
    now = time.monotonic()
    if len(_checks) >= MAX_CACHED_CHECKS:
        for key in [key for key, check in _checks.items() if check.until <= now]:
            del _checks[key]
            _last_seen_written.pop(key, None)
    _checks[session_id] = _Check(member_id, valid, now + settings.SESSION_CHECK_SECONDS)


def _forget(session_ids: list[str]) -> None:
    """Sessions ended (on any process): refused from now on in this one, even by a check that read the session
    just before it ended (see authenticate)."""
    for session_id in session_ids:
        _remember(session_id, 0, valid=False)
        _last_seen_written.pop(session_id, None)


on_sessions_ended(_forget)


async def authenticate(token: str | None) -> Authentication:
    """The member and session a token stands for, once its session is checked (cached: see the module)."""
    if not token:
        return Authentication()
    claims = token_claims(token)
    if claims is None:
        return Authentication(token_invalid=True)
    check = _checks.get(claims.session_id)
    if check is None or check.until <= time.monotonic():
        valid = await _session_is_live(claims.session_id, claims.member_id)
        if _checks.get(claims.session_id) is check:  # else the session ended (or was checked) meanwhile: that holds
            _remember(claims.session_id, claims.member_id, valid=valid)
        check = _checks[claims.session_id]
    if not check.valid or check.member_id != claims.member_id:
        return Authentication(token_invalid=True)
    _note_seen(claims.session_id, claims.member_id)
    return Authentication(viewer_id=claims.member_id, session_id=claims.session_id)


async def _session_is_live(session_id: str, member_id: int) -> bool:
    return await Session.filter(
        id=session_id,
        member_id=member_id,
        revoked_at__isnull=True,
        member__suspended_at__isnull=True,
        member__deleted_at__isnull=True,
    ).exists()


async def ended_among(session_ids: list[str]) -> list[str]:
    """Those of the sessions that have ended (revoked, or their member suspended or deleted)."""
    live: set[str] = set()
    for start in range(0, len(session_ids), CHECK_BATCH):
        batch = session_ids[start : start + CHECK_BATCH]
        found = await Session.filter(
            id__in=batch, revoked_at__isnull=True, member__suspended_at__isnull=True, member__deleted_at__isnull=True
        ).values_list("id", flat=True)
        live.update(str(session_id) for session_id in found)
    return [session_id for session_id in session_ids if session_id not in live]


def _note_seen(session_id: str, member_id: int) -> None:
    """Write last-seen times, in the background, at most once a minute per session in this process."""
    now, last = time.monotonic(), _last_seen_written.get(session_id)
    if last is not None and now - last < settings.LAST_SEEN_WRITE_SECONDS:
        return
    _last_seen_written[session_id] = now
    task = asyncio.create_task(_write_last_seen(session_id, member_id))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _write_last_seen(session_id: str, member_id: int) -> None:
    # To the minute: a minute's precision is all the lists and the absent members' emails need.
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        await Session.filter(id=session_id).update(last_seen_at=now)
        await Member.filter(id=member_id).update(last_seen_at=now)
    except Exception:  # noqa: BLE001 - a missed last-seen time is retried a minute later; never fails a request
        logger.warning("could not record when session %s was last seen", session_id, exc_info=True)


async def end_sessions(tx: Transaction, member_id: int, *, keep: str | None = None) -> None:
    """Revoke every live session of the member but `keep`, and end their live feeds on every process."""
    query = Session.filter(member_id=member_id, revoked_at__isnull=True).using_db(tx)
    if keep is not None:
        query = query.exclude(id=keep)
    session_ids = list(await query.values_list("id", flat=True))
    await _revoke(tx, member_id, [str(session_id) for session_id in session_ids])


async def _revoke(tx: Transaction, member_id: int, session_ids: list[str]) -> None:
    if not session_ids:
        return
    await Session.filter(id__in=session_ids).using_db(tx).update(revoked_at=datetime.now(UTC))
    # This process lets go at once, whatever the broker; the message tells the others (and closes sockets here).
    after_commit(tx, lambda: _forget(session_ids))
    queue(tx, sessions_ended_message(member_id, session_ids))


async def sessions_of(ctx: Context, member_id: int) -> list[Session] | None:
    """The live sessions of the member, most recently seen first: only for the member (None for anyone else)."""
    if ctx.viewer_id is None or ctx.viewer_id != member_id:
        return None
    return await Session.filter(member_id=member_id, revoked_at__isnull=True).order_by("-last_seen_at", "-created_at")


async def do_revoke_session(ctx: Context, global_id: str) -> bool:
    """End one of your sessions (this one included). Another member's session, or none, is NOT_FOUND; one already
    ended is ended: true again."""
    viewer = await ctx.require_viewer()
    await check_rate(ctx, "mutation")
    session_id = session_id_of(global_id)
    async with writing() as tx:
        session = await Session.filter(id=session_id, member_id=viewer.id).using_db(tx).select_for_update().first()
        if session is None:
            raise NotFound("You have no session with this id.", field="id")
        if session.revoked_at is None:
            await _revoke(tx, viewer.id, [session.id])
    return True


async def do_logout(ctx: Context) -> None:
    """End the session the request authenticated with, if any."""
    if ctx.session_id is None or ctx.viewer_id is None:
        return
    async with writing() as tx:
        live = Session.filter(id=ctx.session_id, member_id=ctx.viewer_id, revoked_at__isnull=True)
        if await live.using_db(tx).exists():
            await _revoke(tx, ctx.viewer_id, [ctx.session_id])
