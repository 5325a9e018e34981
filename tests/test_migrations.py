"""Schema changes ship as migrations: the models and the migrations must agree."""

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

import settings


async def test_models_have_no_changes_missing_from_the_migrations(database):
    # `database` was built by applying the migrations; the autodetector compares them with the models.
    apps = {"models": settings.tortoise_config(database)["apps"]["models"]}
    writers = await MigrationAutodetector(Tortoise.apps, apps).changes()
    pending = [op for writer in writers for op in writer.operations]
    assert pending == [], "models changed without a migration: run `.venv/bin/tortoise makemigrations`"
