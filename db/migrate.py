"""Alembic, configured in code so migrations run from an installed package, whatever the CWD.

`upgrade(engine)` runs inside the caller's event loop (the app's lifespan, the CLI): Alembic gets
a sync connection borrowed from the async engine through `run_sync`, so no nested event loop.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant works; it serialises concurrent migrators (several API workers starting at once).
_PG_LOCK_KEY = 0x636F7572  # "cour"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        # ConfigParser interpolation would choke on '%' in URL-encoded passwords.
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def resolve_revision(target: str) -> None:
    """Raise alembic's CommandError when `target` names no revision (relative steps pass)."""
    script = ScriptDirectory.from_config(alembic_config())
    if target in ("head", "heads", "base") or any(c in target for c in "@+-"):
        return  # a relative step (-1, head@+1): alembic checks it against the database
    script.get_revision(target)


def revision_ids() -> list[str]:
    """Every revision id, newest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in script.walk_revisions()]


def _run(conn: Connection, target: str, direction: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    if direction == "up":
        command.upgrade(cfg, target)
    else:
        command.downgrade(cfg, target)


async def upgrade(engine: AsyncEngine, target: str = "head") -> None:
    """Bring the database up to `target` (default: the newest revision)."""
    async with engine.begin() as conn:
        await conn.run_sync(_run, target, "up")


async def downgrade(engine: AsyncEngine, target: str = "base") -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_run, target, "down")


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
