"""`coursegen mcp`: the MCP server over stdio, for a local MCP client (an editor, a desktop
assistant). It runs the API's app in-process (database, in-process jobs, the tutor) without
listening on any port, and serves as one user: `--user EMAIL` (a local account, made on first
use) or `--token` (a token from the API, checked on every call as REST checks it)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Annotated

import typer

from core.config import get_settings


def mcp(
    user: Annotated[str | None, typer.Option(
        "--user", help="Serve as this local user (email); made on first use")] = None,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="COURSEGEN_MCP_TOKEN",
        help="Serve as the holder of this API token (or set COURSEGEN_MCP_TOKEN)")] = None,
) -> None:
    """Serve courses to an MCP client over stdio (tools, course:// resources, prompts)."""
    if (user is None) == (token is None):
        typer.echo("Give exactly one of --user EMAIL or --token TOKEN.", err=True)
        raise typer.Exit(2)
    asyncio.run(_serve(user, token))


async def _serve(user: str | None, token: str | None) -> None:
    from api.app import create_app
    from api.mcp_server.caller import Caller, LocalUserCaller, TokenCaller
    from api.mcp_server.server import build_server

    app = create_app(get_settings())
    caller: Caller = LocalUserCaller(user) if user is not None else TokenCaller(token or "")
    server = build_server(lambda: app.state, caller)
    lifespan = app.router.lifespan_context(app)
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the protocol only
        await lifespan.__aenter__()
    try:
        await server.run_stdio_async()
    finally:
        await lifespan.__aexit__(None, None, None)
