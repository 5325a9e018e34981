"""What bench/load.py reads from PostgreSQL directly: the servers' backends sampled during the run, the
last event committed, and afterwards the checks that every acknowledged write and every event arrived.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg

from bench.harness import asyncpg_url
from bench.load_client import seq_of


@dataclass
class Backends:
    """The servers' PostgreSQL backends, sampled through the run: what the connections were doing."""

    samples: int = 0
    active: int = 0  # running a statement (or waiting inside one)
    lock: int = 0  # ... waiting for a lock (Lock:transactionid when writers queue on one row)
    idle_in_transaction: int = 0  # holding a transaction open while the server computes

    def mean(self, count: int) -> float:
        return count / self.samples if self.samples else float("nan")


@contextlib.asynccontextmanager
async def sampling_backends(database_url: str, every: float = 0.5) -> AsyncIterator[Backends]:
    backends = Backends()
    conn = await asyncpg.connect(asyncpg_url(database_url))
    query = (
        "SELECT count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE wait_event_type = 'Lock'), "
        "count(*) FILTER (WHERE state = 'idle in transaction') "
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )

    async def sample() -> None:
        while True:
            active, lock, idle = await conn.fetchrow(query)
            backends.samples += 1
            backends.active, backends.lock, backends.idle_in_transaction = (
                backends.active + active,
                backends.lock + lock,
                backends.idle_in_transaction + idle,
            )
            await asyncio.sleep(every)

    sampler = asyncio.create_task(sample())
    try:
        yield backends
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        await conn.close()


def community_of(cursor: str) -> int:
    """The community id in an activity cursor (base64 of "activity:<community>:<seq>")."""
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")[1])


async def last_activity_seq(database_url: str, cursor: str) -> int:
    """The sequence number of the last event committed so far in the cursor's community."""
    conn = await asyncpg.connect(asyncpg_url(database_url))
    try:
        return await conn.fetchval("SELECT max(seq) FROM activity WHERE community_id = $1", community_of(cursor))
    finally:
        await conn.close()


async def missing_writes(database_url: str, written: dict[str, list[Any]]) -> list[str]:
    """Every acknowledged post, comment and reaction is in the database: what is missing, if anything."""
    from resolvers.ids import from_global_id

    problems = []
    conn = await asyncpg.connect(asyncpg_url(database_url))
    try:
        for kind, table in (("posts", "post"), ("comments", "comment")):
            ids = [from_global_id(gid)[1] for gid in written[kind]]
            found = await conn.fetchval(f"SELECT count(*) FROM {table} WHERE id = ANY($1::int[])", ids)
            if found != len(set(ids)) or len(ids) != len(set(ids)):
                problems.append(f"{len(ids) - found} acknowledged {kind} missing from the database")
        reactions = [(username, *from_global_id(gid), kind) for username, gid, kind in written["reactions"]]
        found = await conn.fetchval(
            "SELECT count(*) FROM reaction r JOIN member m ON m.id = r.member_id "
            "JOIN unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS w(username, type, pk, kind) "
            "ON m.username = w.username AND r.target_type = lower(w.type) AND r.target_id = w.pk AND r.kind = w.kind",
            *([list(column) for column in zip(*reactions, strict=True)] if reactions else [[], [], [], []]),
        )
        if found != len(reactions):
            problems.append(f"{len(reactions) - found} acknowledged reactions missing from the database")
    finally:
        await conn.close()
    return problems


async def subscribers_problems(
    database_url: str, cursor: str, last_seq: int, subscribers: list[dict[str, Any]]
) -> list[str]:
    """Each subscriber's report (bench/load_client.py) against the activity table after `cursor`."""
    conn = await asyncpg.connect(asyncpg_url(database_url))
    try:
        rows = await conn.fetch(
            "SELECT seq, verb FROM activity WHERE community_id = $1 AND seq > $2 ORDER BY seq",
            community_of(cursor),
            seq_of(cursor),
        )
    finally:
        await conn.close()
    return check_subscribers(subscribers, seq_of(cursor), last_seq, [(row["seq"], row["verb"]) for row in rows])


def check_subscribers(
    subscribers: list[dict[str, Any]], start: int, last_seq: int, table: list[tuple[int, str]]
) -> list[str]:
    """Every subscriber saw the table's events start+1..(at least) last_seq, each once, in order."""
    if [seq for seq, _ in table] != list(range(start + 1, start + 1 + len(table))):
        return [f"the activity table's sequence is not dense after {start}"]
    problems = []
    for i, s in enumerate(subscribers):
        expected = hashlib.sha256("".join(f"{seq}:{verb}\n" for seq, verb in table[: s["last"] - start]).encode())
        if s["error"]:
            problems.append(f"subscriber {i}: {s['error']}")
        elif s["duplicates"] or s["gaps"]:
            problems.append(f"subscriber {i}: {s['duplicates']} duplicate(s), {s['gaps']} gap(s), first {s['anomaly']}")
        elif s["last"] < last_seq:
            problems.append(f"subscriber {i}: saw up to {s['last']}, not {last_seq}")
        elif s["count"] != s["last"] - start or s["digest"] != expected.hexdigest():
            problems.append(f"subscriber {i}: its {s['count']} events are not the table's {s['last'] - start}")
    return problems
