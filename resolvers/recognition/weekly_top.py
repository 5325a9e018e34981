"""The weekly top's moves, announced once the points that made them have committed.

A calendar week has a board that only moves when points are written, so every
move can be announced the moment it happens: each write that earns points is
followed by `settle` (resolvers/outbox.py), after its commit, so no write holds
a lock for it. A settlement is a transaction of its own, one at a time per
community in a process, covering every write that committed while the one
before ran; across processes they take turns (an advisory lock on PostgreSQL;
SQLite has one writer). Each compares the committed board with the top the
last one saved (WeeklyTop): a move is announced once, by whichever settlement
sees it first, and one lost with its process is caught up by the next that
reads the board. Writes whose members stay below a full saved top cannot move
it: that settlement reads only their points.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import cast

import orjson

import settings
from models.communities import Membership, MembershipStatus
from models.notifications import Notification, NotificationKind
from realtime.messages import points_message
from resolvers.idempotency import holding
from resolvers.notifications.notifications import notify
from resolvers.outbox import Transaction, queue, writing
from resolvers.recognition import totals
from resolvers.recognition.facts import bind
from resolvers.recognition.standings import Move, Period, moves, ranked, week_key

logger = logging.getLogger("cercle.recognition")
# The first key of the two-key advisory locks that make one community's settlements take turns ("WEEK").
_TURN_LOCK_CLASS = 0x5745454B


@dataclass
class _Queue:
    """A community's settlements in this process: the points written since the running one began, and the
    writes waiting for the settlement that covers them."""

    deltas: dict[int, int] = field(default_factory=dict)
    waiting: list[asyncio.Future[None]] = field(default_factory=list)
    running: bool = False


# Per event loop (a test's loop ends with it): {community_id: _Queue}.
_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, _Queue]] = weakref.WeakKeyDictionary()


async def settle(deltas: dict[int, dict[int, int]]) -> None:
    """After a transaction that wrote points ({community_id: {member_id: points}}): back once a settlement that
    began after it committed has finished. One settlement at a time per community in a process: the writes
    that commit while it runs are settled together by the next, so settling never holds back the writes."""
    loop = asyncio.get_running_loop()
    queues = _queues.setdefault(loop, {})
    covered = []
    for community_id, changes in deltas.items():
        queue = queues.setdefault(community_id, _Queue())
        for member, amount in changes.items():
            queue.deltas[member] = queue.deltas.get(member, 0) + amount
        queue.waiting.append(loop.create_future())
        covered.append(queue.waiting[-1])
        if not queue.running:
            queue.running = True
            # A task of its own, so a writer that gives up waiting does not cancel the others' settlement.
            _runners.add(task := loop.create_task(_run(queues, community_id, queue)))
            task.add_done_callback(_runners.discard)
    await asyncio.gather(*covered)


_runners: set[asyncio.Task[None]] = set()  # referenced while they run (the loop keeps only weak references)


async def _run(queues: dict[int, _Queue], community_id: int, queue: _Queue) -> None:
    waiting: list[asyncio.Future[None]] = []
    try:
        with holding(None):  # the settlement serves every waiting request, and claims none of their keys
            while queue.waiting:
                deltas, waiting = queue.deltas, queue.waiting
                queue.deltas, queue.waiting = {}, []
                try:
                    async with writing() as tx:
                        await _settle(tx, community_id, deltas)
                except Exception:  # noqa: BLE001 - the writes have committed; the next settlement catches up
                    logger.warning("settling the weekly top failed", exc_info=True)
                _release(waiting)
    finally:  # also when cancelled (the process stopping): no writer waits for a settlement that will not come
        _release(waiting + queue.waiting)
        queue.running = False
        if queues.get(community_id) is queue:
            del queues[community_id]


def _release(writers: list[asyncio.Future[None]]) -> None:
    for future in writers:
        if not future.done():  # its writer may have given up waiting
            future.set_result(None)


@dataclass(frozen=True)
class _Turn:
    """What a settlement reads as its turn begins: the top the last one saved, and for the board's statements how
    far the snapshot was folded. Its transaction plans them for their values (totals.CUSTOM_PLANS_SQL; SQLite has
    no plan cache)."""

    saved: tuple[str, int, list[list[int]]] | None  # (week, size, board) of WeeklyTop
    folded: int
    access_version: int

    async def top(self, tx: Transaction, community_id: int, first: int, now: datetime) -> list[totals.Standing]:
        return await totals.top(community_id, Period.WEEK, first, now, tx, folded=self.folded, custom_plans=True)

    async def points_of(self, tx: Transaction, community_id: int, members: list[int], now: datetime) -> dict[int, int]:
        return await totals.points_of(
            tx, community_id, Period.WEEK, members, now, folded=self.folded, custom_plans=True
        )


async def _settle(tx: Transaction, community_id: int, changes: dict[int, int]) -> None:
    """Announce the weekly top's moves since the last settlement; `changes` are the points written since."""
    size, now = settings.LEADERBOARD_NOTIFY_TOP, datetime.now(UTC)
    changes = {member: amount for member, amount in changes.items() if amount}
    turn = await _take_turn(tx, community_id)
    if changes:
        before = _saved_top(turn.saved, week_key(now), size)
        if before is None or not await _stays_below(tx, turn, community_id, before, changes, size, now):
            board = await turn.top(tx, community_id, size + len(changes), now)
            after = ranked(board, size)
            if before is None:  # the week's first settlement: the top before is this board less these points
                before = await _less(tx, turn, community_id, dict(board), changes, size, now)
            else:
                before = await _without_departed(tx, community_id, before, after, changes, size)
            # Who passed the members overtaken, when one member alone won points since the last settlement.
            winners = [member for member, amount in changes.items() if amount > 0]
            passer = winners[0] if len(winners) == 1 else None
            news = [(move, kind) for move in moves(before, after) if (kind := _news(move, changes))]
            notifications = []
            for move, kind in await _not_too_often(tx, community_id, news):
                notifications += await _notify_move(tx, community_id, move, kind, passer)
            queue(tx, *notifications)
            await _save(tx, turn.saved, community_id, week_key(now), size, after)
    queue(tx, points_message(community_id, turn.access_version))


# Read once the turn is taken, in one statement: the community's access version (for the points message), how
# far its snapshot was folded, and its saved top.
_TURN_SQL = """
SELECT c.access_version, COALESCE((SELECT s.through_id FROM points_snapshot s WHERE s.community_id = c.id), 0)
       AS folded, w.week, w.size, w.board
FROM community c LEFT JOIN weekly_top w ON w.community_id = c.id WHERE c.id = :community
"""


async def _take_turn(tx: Transaction, community_id: int) -> _Turn:
    """Until commit, the community's settlements wait for this one. An advisory lock, not a row's: it writes
    nothing, so a settlement that moves nothing commits without a WAL flush. (SQLite: one writer at a time.)
    Taken in the same round trip as two settings: the board's cached statements are planned for their values, and
    the commit does not wait for the disk. A settlement lost in a crash is caught up by the next one, which compares
    the board with the top saved before it: the moves it announced are announced again, nothing is missed."""
    if tx.capabilities.dialect == "postgres":
        lock = f"SELECT pg_advisory_xact_lock({_TURN_LOCK_CLASS}, {int(community_id)})"
        await tx.execute_script(f"{totals.CUSTOM_PLANS_SQL}; SET LOCAL synchronous_commit = off; {lock}")
    row = (await tx.execute_query_dict(*bind(tx, _TURN_SQL, {"community": community_id})))[0]
    saved = None
    if row["week"] is not None:
        board = row["board"] if isinstance(row["board"], list) else orjson.loads(row["board"])
        saved = (row["week"], row["size"], board)
    return _Turn(saved, int(row["folded"]), int(row["access_version"]))


def _saved_top(
    saved: tuple[str, int, list[list[int]]] | None, week: str, size: int
) -> dict[int, tuple[int, int]] | None:
    """{member_id: (rank, points)} as the last settlement left the top; None if it saved none this week (or
    one of another size)."""
    if saved is None or saved[:2] != (week, size):
        return None
    return ranked(((member, points) for member, points in saved[2]), size)


async def _stays_below(
    tx: Transaction,
    turn: _Turn,
    community_id: int,
    before: dict[int, tuple[int, int]],
    changes: dict[int, int],
    size: int,
    now: datetime,
) -> bool:
    """Whether points won by members off a full top leave each of them behind its last member: nothing on it moved.

    Points lost, or won by a member on the top, can move it; and a top with room takes anyone with points."""
    if len(before) < size or any(amount < 0 or member in before for member, amount in changes.items()):
        return False
    last_member, (_, last_points) = max(before.items(), key=lambda item: item[1][0])
    points = await turn.points_of(tx, community_id, list(changes), now)
    return all((p, -member) < (last_points, -last_member) for member, p in points.items())


async def _less(
    tx: Transaction,
    turn: _Turn,
    community_id: int,
    board: dict[int, int],
    changes: dict[int, int],
    size: int,
    now: datetime,
) -> dict[int, tuple[int, int]]:
    """The top before these changes, from a board after them read `len(changes)` deeper than the top: the
    members who rose can only have pushed that many off it. A member who lost points may have left that board
    and still have been on the top before: their points are read as well."""
    if any(amount < 0 for amount in changes.values()):
        board.update(await turn.points_of(tx, community_id, list(changes), now))
    return ranked(((member, points - changes.get(member, 0)) for member, points in board.items()), size)


async def _without_departed(
    tx: Transaction,
    community_id: int,
    before: dict[int, tuple[int, int]],
    after: dict[int, tuple[int, int]],
    changes: dict[int, int],
    size: int,
) -> dict[int, tuple[int, int]]:
    """The saved top less the members who are no longer active (they left, or were banned): the members behind
    them did not pass anyone, and a member who left hears nothing."""
    gone = [member for member in before if member not in after and member not in changes]
    if not gone:
        return before
    still = Membership.filter(community_id=community_id, member_id__in=gone, status=MembershipStatus.ACTIVE)
    active = set(cast(list[int], await still.using_db(tx).values_list("member_id", flat=True)))
    kept = ((member, points) for member, (_, points) in before.items() if member not in gone or member in active)
    return ranked(kept, size)


async def _save(
    tx: Transaction,
    saved: tuple[str, int, list[list[int]]] | None,
    community_id: int,
    week: str,
    size: int,
    top: dict[int, tuple[int, int]],
) -> None:
    board = [[member, points] for member, (_, points) in sorted(top.items(), key=lambda s: s[1][0])]
    if saved == (week, size, board):
        return
    values = {"community": community_id, "week": week, "size": size, "board": orjson.dumps(board).decode()}
    if saved is None:
        sql = "INSERT INTO weekly_top (community_id, week, size, board) VALUES (:community, :week, :size, :board)"
    else:
        sql = "UPDATE weekly_top SET week = :week, size = :size, board = :board WHERE community_id = :community"
    await tx.execute_query(*bind(tx, sql, values))


def _news(move: Move, movers: dict[int, int]) -> NotificationKind | None:
    """RANK_UP to whoever rose (into) the top; OVERTAKEN to whoever fell without losing points: others passed
    them (with the points they won since the last settlement, a member may still have been passed)."""
    rank, previous = move["rank"], move["previous_rank"]
    if rank is not None and (previous is None or rank < previous):
        return NotificationKind.RANK_UP
    if movers.get(move["member_id"], 0) >= 0 and (rank is None or (previous is not None and rank > previous)):
        return NotificationKind.OVERTAKEN
    return None  # the member's own points went down (an undo), or only their points changed


async def _not_too_often(
    tx: Transaction, community_id: int, news: list[tuple[Move, NotificationKind]]
) -> list[tuple[Move, NotificationKind]]:
    """At most one notification of each kind per member per cooldown; taking or losing first place always."""
    if not news:
        return news
    since = datetime.now(UTC) - timedelta(minutes=settings.RANK_NOTIFICATION_COOLDOWN_MINUTES)
    recent = set(
        await Notification.filter(
            member_id__in=[move["member_id"] for move, _ in news],
            community_id=community_id,
            kind__in=[NotificationKind.RANK_UP, NotificationKind.OVERTAKEN],
            created_at__gte=since,
        )
        .using_db(tx)
        .values_list("member_id", "kind")
    )
    return [
        (move, kind)
        for move, kind in news
        if 1 in (move["rank"], move["previous_rank"]) or (move["member_id"], kind) not in recent
    ]


async def _notify_move(
    tx: Transaction, community_id: int, move: Move, kind: NotificationKind, passer: int | None
) -> list[Notification]:
    rank, previous = move["rank"], move["previous_rank"]
    return await notify(
        tx,
        {move["member_id"]: kind},
        actor_id=passer if kind == NotificationKind.OVERTAKEN and passer != move["member_id"] else None,
        community_id=community_id,
        subject_type="community",
        subject_id=community_id,
        payload={
            "period": Period.WEEK.value,
            "rank": rank,
            "previousRank": previous,
            "points": move["points"],
            "title": f"#{rank} in this week's leaderboard" if rank else "out of this week's top",
        },
    )
