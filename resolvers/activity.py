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
from models.database import committing
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


async def number_pending(conn: BaseDBAsyncClient, *, then_commit: bool = False) -> None:
    """Number the transaction's rows: communities, then members, each in id order, so that two writers
    lock the counter rows in the same order and cannot deadlock. Sets `seq` (and an activity's access
    version, read under the same lock: an event committed after a ban carries the ban's version).

    On PostgreSQL with `then_commit`, the numbering and the commit go to the database in one round trip, so
    the counter rows stay locked only as long as the database takes to run them, however busy this process is
    (each round trip under the lock would add a wait for its event loop, and every writer of the community
    waits behind it); the transaction left open is an empty one, for the caller to commit."""
    activity: dict[int, list[Numbered]] = defaultdict(list)
    notifications: dict[int, list[Numbered]] = defaultdict(list)
    for row in _pending.get(id(conn), ()):
        if isinstance(row, Activity):
            activity[row.community_id].append(row)
        else:
            notifications[row.member_id].append(row)
    postgres = conn.capabilities.dialect == "postgres"
    statements = []
    if activity:
        statements.append(_advance(Community, "activity_seq", activity, postgres))
        statements.append(_write_numbers(Activity, activity, Community, "activity_seq", "access_version"))
    if notifications:
        statements.append(_advance(Member, "notification_seq", notifications, postgres))
        statements.append(_write_numbers(Notification, notifications, Member, "notification_seq"))
    if not statements:
        return
    if then_commit and postgres:
        with committing():  # from here on, the write may have been saved
            await conn.execute_script(";\n".join([*statements, "COMMIT", "BEGIN"]))
            await _read_numbers(conn, activity, notifications)
        return
    for statement in statements:
        await conn.execute_query(statement)
    await _read_numbers(conn, activity, notifications)


def _advance(model: type[Model], counter: str, rows_by_pk: dict[int, list[Numbered]], postgres: bool) -> str:
    """The statement that moves each counter row on by its number of rows, locking them in id order."""
    table = model._meta.db_table
    counts = {pk: len(rows) for pk, rows in rows_by_pk.items()}
    listed = ",".join(str(int(pk)) for pk in sorted(counts))
    if len(set(counts.values())) == 1:
        step = str(int(next(iter(counts.values()))))
    else:
        step = 'CASE "id" ' + " ".join(f"WHEN {int(pk)} THEN {int(n)}" for pk, n in counts.items()) + " END"
    if len(counts) == 1:
        where = f'"id" = {listed}'
    elif postgres:  # in id order, as every other writer locks them
        where = f'"id" IN (SELECT "id" FROM "{table}" WHERE "id" IN ({listed}) ORDER BY "id" FOR NO KEY UPDATE)'
    else:  # SQLite has one writer at a time
        where = f'"id" IN ({listed})'
    return f'UPDATE "{table}" SET "{counter}" = "{counter}" + {step} WHERE {where}'


def _write_numbers(
    model: type[Model],
    rows_by_pk: dict[int, list[Numbered]],
    counters: type[Model],
    counter: str,
    *also: str,
) -> str:
    """The statement that stores the numbers, however many rows: each row's counter as it now stands (an index
    lookup per row), less its distance from its owner's last row (0 for most), rows in the order written."""
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
    return f'UPDATE "{table}" SET {", ".join(assignments)} WHERE "id" IN ({listed})'


async def _read_numbers(
    conn: BaseDBAsyncClient, activity: dict[int, list[Numbered]], notifications: dict[int, list[Numbered]]
) -> None:
    """Read the numbers back onto the rows, for what is published after commit (one statement)."""
    rows = {(0, row.id): row for rows in activity.values() for row in rows}
    rows.update({(1, row.id): row for rows in notifications.values() for row in rows})
    parts = []
    if activity:
        listed = ",".join(str(int(pk)) for kind, pk in rows if kind == 0)
        parts.append(f'SELECT 0 AS kind, "id", "seq", "access_version" FROM "activity" WHERE "id" IN ({listed})')
    if notifications:
        listed = ",".join(str(int(pk)) for kind, pk in rows if kind == 1)
        parts.append(
            f'SELECT 1 AS kind, "id", "seq", NULL AS access_version FROM "notification" WHERE "id" IN ({listed})'
        )
    for number in await conn.execute_query_dict(" UNION ALL ".join(parts)):
        row = rows[(number["kind"], number["id"])]
        row.seq = number["seq"]
        if isinstance(row, Activity):
            row.access_version = number["access_version"]


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
