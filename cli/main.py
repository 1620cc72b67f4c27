"""The `coursegen` command. Subcommands live in their own modules."""

from __future__ import annotations

import typer

from cli import migrate
from cli.generate import generate
from cli.mcp_stdio import mcp
from cli.serve import serve
from cli.worker import worker

app = typer.Typer(help="coursegen: turn a YouTube video or a transcript into a course.")
app.command()(generate)
app.command()(serve)
app.command()(worker)
app.command()(mcp)
app.add_typer(migrate.app, name="migrate")

if __name__ == "__main__":
    app()
