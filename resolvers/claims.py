"""Claimed slots: how processes that all run the same scheduled job let one of them act on each slot."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient


async def claim(conn: BaseDBAsyncClient, job: str, slot: str) -> bool:
    """Take the slot for this transaction; False if another process has it (it then waits for that commit)."""
    marks = ("$1", "$2", "$3") if conn.capabilities.dialect == "postgres" else ("?", "?", "?")
    rows = await conn.execute_query_dict(
        f"INSERT INTO job_run (job, slot, claimed_at) VALUES ({', '.join(marks)}) "
        "ON CONFLICT (job, slot) DO NOTHING RETURNING id",
        [job, slot, datetime.now(UTC)],
    )
    return bool(rows)
