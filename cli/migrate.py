"""`coursegen migrate`: Alembic migrations for the configured database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from alembic.util import CommandError
from sqlalchemy.ext.asyncio import AsyncEngine

from cli.errors import BadInput
from core.config import get_settings
from db import migrate as migrations
from db.session import make_engine

app = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=False)
T = TypeVar("T")


def _with_engine(fn: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    async def run() -> T:
        settings = get_settings()
        settings.ensure_data_dir()
        engine = make_engine(settings.resolved_database_url)
        try:
            return await fn(engine)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.callback(invoke_without_command=True)
def default(ctx: typer.Context) -> None:
    """Without a subcommand: upgrade to the newest revision."""
    if ctx.invoked_subcommand is None:
        upgrade("head")


def _known(revision: str) -> str:
    """Refuse a revision Alembic does not know, naming the ones it does."""
    try:
        migrations.resolve_revision(revision)
    except CommandError as exc:
        known = ", ".join(migrations.revision_ids())
        raise BadInput(f"unknown revision {revision!r}; use head, base, a relative step such as "
                       f"-1, or one of: {known}") from exc
    return revision


@app.command()
def upgrade(revision: Annotated[str, typer.Argument(help="Target revision",
                                                    callback=_known)] = "head") -> None:
    """Upgrade the database to REVISION (default: head)."""
    _with_engine(lambda e: migrations.upgrade(e, revision))
    typer.echo(f"database at {_with_engine(migrations.current_revision) or 'base'}")


@app.command()
def downgrade(revision: Annotated[str, typer.Argument(help="Target revision",
                                                      callback=_known)] = "base") -> None:
    """Downgrade the database to REVISION (default: base, i.e. drop everything)."""
    _with_engine(lambda e: migrations.downgrade(e, revision))
    typer.echo(f"database at {_with_engine(migrations.current_revision) or 'base'}")


@app.command()
def current() -> None:
    """Print the database's current revision."""
    typer.echo(_with_engine(migrations.current_revision) or "base")
