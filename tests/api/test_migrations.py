"""Alembic migrations: up, down, up again on SQLite and Postgres; models match the migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from typer.testing import CliRunner

from core.config import get_settings
from db import migrate
from db.models import Base
from db.session import make_engine

TABLES = {
    "users",
    "courses",
    "course_content",
    "user_progress",
    "credentials",
    "auth_sessions",
    "outbox_events",
    "idempotency_keys",
    "review_cards",
    "review_logs",
}


async def _tables(engine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def _diff(engine) -> list:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata
            )
        )


async def test_upgrade_downgrade_upgrade(app_settings):
    engine = make_engine(app_settings.resolved_database_url)
    try:
        assert await migrate.current_revision(engine) is None
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        assert TABLES <= await _tables(engine)
        assert await _diff(engine) == []  # the migration creates exactly what the models say

        await migrate.downgrade(engine, "base")
        assert await migrate.current_revision(engine) is None
        assert not (TABLES & await _tables(engine))

        await migrate.upgrade(engine)
        await migrate.upgrade(engine)  # already at head: a no-op, not an error
        assert TABLES <= await _tables(engine)
    finally:
        await engine.dispose()


def test_cli_migrate_up_and_down(tmp_path, monkeypatch):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("COURSEGEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    get_settings.cache_clear()
    from cli.main import app

    try:
        runner = CliRunner()
        up = runner.invoke(app, ["migrate"])
        assert up.exit_code == 0, up.output
        assert f"database at {migrate.head_revision()}" in up.output
        down = runner.invoke(app, ["migrate", "downgrade"])
        assert down.exit_code == 0 and "database at base" in down.output
        assert runner.invoke(app, ["migrate", "current"]).output.strip() == "base"
    finally:
        get_settings.cache_clear()
