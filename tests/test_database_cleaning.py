"""Every test starts from empty tables: the cleaning fixture must reach every table the migrations create."""

from tortoise import connections

from tests.conftest import BACKEND, tables_to_clean

# Kept on purpose: it records which migrations the session's schema was built with.
MIGRATION_HISTORY = "tortoise_migrations"


async def database_tables() -> set[str]:
    if BACKEND == "postgres":
        sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    rows = await connections.get("default").execute_query_dict(sql)
    return {row["name"] for row in rows}


async def test_every_table_but_the_migration_history_is_cleaned(database):
    # given / when
    tables = await database_tables()
    # then
    assert MIGRATION_HISTORY in tables
    assert set(tables_to_clean()) == tables - {MIGRATION_HISTORY}
