"""The `coursegen` command. Subcommands live in their own modules."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli import migrate
from cli.errors import Command, State
from cli.generate import generate
from cli.mcp_stdio import mcp
from cli.serve import serve
from cli.worker import worker

app = Command(help="coursegen: turn a YouTube video or a transcript into a course.")


@app.callback()
def options(debug: Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors")]
            = False) -> None:
    """coursegen: turn a YouTube video or a transcript into a course."""
    State.debug = debug


app.command()(generate)
app.command()(serve)
app.command()(worker)
app.command()(mcp)
app.add_typer(migrate.app, name="migrate")

if __name__ == "__main__":
    sys.exit(app())
