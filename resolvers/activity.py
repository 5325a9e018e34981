"""The activity log, and the dense numbering of activity (per community) and notifications (per member).

Rows are written with `seq` NULL and numbered by the last statements of their
writing transaction (`number_pending`, which resolvers/outbox.py calls just
before commit). Numbering increments the counter row, which locks it until
commit, so writers of one community still get consecutive numbers and commit
in number order (a cursor never skips an event that commits later), but they
queue behind each other only for that last instant, not for their whole
transaction: the rules, the standing, the notifications run side by side.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from models.activity import Activity, Verb
from models.communities import Community
from models.members import Member
from models.notifications import Notification

Numbered = Activity | Notification
_pending: dict[int, list[Numbered]] = {}  # by id() of a writing transaction's connection, while it is open


async def next_number(conn: BaseDBAsyncClient, model: type[Model], pk: int, counter: str) -> int:
    """Increment a row's counter and read it back, under the row's lock until commit (the access version)."""
    return (await increment(conn, model, pk, counter))[counter]


async def increment(conn: BaseDBAsyncClient, model: type[Model], pk: int, counter: str, *also: str) -> dict[str, int]:
    """Increment a row's counter under its lock; the new value, and the columns `also` as they are under that lock."""
    table = model._meta.db_table
    returning = ", ".join(f'"{column}"' for column in (counter, *also))
    # One statement (SQLite and PostgreSQL both return the new value); the names are ours, pk an int.
    rows = await conn.execute_query_dict(
        f'UPDATE "{table}" SET "{counter}" = "{counter}" + 1 WHERE "id" = {int(pk)} RETURNING {returning}'
    )
    return rows[0]


def open_numbering(conn: BaseDBAsyncClient) -> None:
    _pending[id(conn)] = []


def close_numbering(conn: BaseDBAsyncClient) -> None:
    _pending.pop(id(conn), None)


def number_at_commit(conn: BaseDBAsyncClient, *rows: Numbered) -> None:
    """These rows, written with `seq` NULL, get their numbers just before the transaction commits."""
    pending = _pending.get(id(conn))
    if pending is None:
        raise RuntimeError("numbered rows are written inside writing() (resolvers/outbox.py)")
    pending.extend(rows)


async def number_pending(conn: BaseDBAsyncClient) -> None:
    """Number the transaction's rows: communities, then members, each in id order, so that two writers
    lock the counter rows in the same order and cannot deadlock. Sets `seq` (and an activity's access
    version, read under the same lock: an event committed after a ban carries the ban's version)."""
    activity: dict[int, list[Numbered]] = defaultdict(list)
    notifications: dict[int, list[Numbered]] = defaultdict(list)
    for row in _pending.get(id(conn), ()):
        if isinstance(row, Activity):
            activity[row.community_id].append(row)
        else:
            notifications[row.member_id].append(row)
    if activity:
        counters = await _advance(conn, Community, "activity_seq", activity, "access_version")
        for community_id, rows in activity.items():
            for row in rows:
                row.access_version = counters[community_id][1]
        await _write_numbers(conn, Activity, activity, Community, "activity_seq", "access_version")
    if notifications:
        await _advance(conn, Member, "notification_seq", notifications)
        await _write_numbers(conn, Notification, notifications, Member, "notification_seq")


async def _advance(
    conn: BaseDBAsyncClient, model: type[Model], counter: str, rows_by_pk: dict[int, list[Numbered]], *also: str
) -> dict[int, tuple[int, ...]]:
    """Move each counter row on by its number of rows, in one statement that locks them in id order; set the
    rows' `seq`, in the order they were written; {pk: (new counter value, *also)}."""
    table = model._meta.db_table
    counts = {pk: len(rows) for pk, rows in rows_by_pk.items()}
    listed = ",".join(str(int(pk)) for pk in sorted(counts))
    if len(set(counts.values())) == 1:
        step = str(int(next(iter(counts.values()))))
    else:
        step = 'CASE "id" ' + " ".join(f"WHEN {int(pk)} THEN {int(n)}" for pk, n in counts.items()) + " END"
    if len(counts) == 1:
        where = f'"id" = {listed}'
    elif conn.capabilities.dialect == "postgres":  # in id order, as every other writer locks them
        where = f'"id" IN (SELECT "id" FROM "{table}" WHERE "id" IN ({listed}) ORDER BY "id" FOR NO KEY UPDATE)'
    else:  # SQLite has one writer at a time
        where = f'"id" IN ({listed})'
    returning = ", ".join(f'"{column}"' for column in ("id", counter, *also))
    counters = {
        row["id"]: (row[counter], *(row[column] for column in also))
        for row in await conn.execute_query_dict(
            f'UPDATE "{table}" SET "{counter}" = "{counter}" + {step} WHERE {where} RETURNING {returning}'
        )
    }
    for pk, rows in rows_by_pk.items():
        last = counters[pk][0]
        for offset, row in enumerate(sorted(rows, key=lambda row: row.id)):
            row.seq = last - len(rows) + 1 + offset
    return counters


async def _write_numbers(
    conn: BaseDBAsyncClient,
    model: type[Model],
    rows_by_pk: dict[int, list[Numbered]],
    counters: type[Model],
    counter: str,
    *also: str,
) -> None:
    """Store the numbers in one statement, however many rows: each row's counter as it now stands (an index
    lookup per row), less its distance from its owner's last row (0 for most)."""
    table, owner = model._meta.db_table, counters._meta.db_table
    key = "community_id" if counters is Community else "member_id"
    behind = {
        row.id: len(rows) - 1 - offset
        for rows in rows_by_pk.values()
        for offset, row in enumerate(sorted(rows, key=lambda row: row.id))
    }
    steps = " ".join(f"WHEN {int(pk)} THEN {distance}" for pk, distance in behind.items() if distance)
    minus = f' - CASE "id" {steps} ELSE 0 END' if steps else ""

    def current(column: str) -> str:
        return f'(SELECT o."{column}" FROM "{owner}" o WHERE o."id" = "{table}"."{key}")'

    assignments = [f'"seq" = {current(counter)}{minus}', *(f'"{column}" = {current(column)}' for column in also)]
    listed = ",".join(str(int(pk)) for pk in behind)
    await conn.execute_query(f'UPDATE "{table}" SET {", ".join(assignments)} WHERE "id" IN ({listed})')


async def append_activity(
    conn: BaseDBAsyncClient,
    *,
    community_id: int,
    actor_id: int | None,
    verb: Verb,
    subject_type: str | None = None,
    subject_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Activity:
    """Append one event; its sequence number and access version are set just before commit."""
    activity = await Activity.create(
        using_db=conn,
        community_id=community_id,
        seq=None,
        actor_id=actor_id,
        verb=verb,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload or {},
    )
    number_at_commit(conn, activity)
    return activity
