"""The MCP server at `/mcp` on the API (streamable HTTP), behind the REST API's bearer tokens.

A request without a valid token is refused here with REST's own 401 body and challenge; each
tool call then resolves its user again from the request that carried it (cached, as for REST),
so a session id never stands in for a token. Sessions are stateful (a client's cancellation
reaches the call it cancels), so several API processes behind one address need the load
balancer to keep a session (`Mcp-Session-Id`) on one process. DNS-rebinding checks (a Host
allow-list) are for servers that trust whoever reaches them; this one trusts only tokens.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import (
    StreamableHTTPASGIApp,
    StreamableHTTPSessionManager,
)
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.deps import principal_for_token
from api.errors import AppError, error_response
from api.mcp_server.caller import HttpCaller, bearer_token
from api.mcp_server.server import build_server
from core.config import Settings

PATH = "/mcp"


class AuthenticatedMcp:
    """The SDK's ASGI endpoint, entered only with a live bearer token."""

    def __init__(self, app: FastAPI, server: MCPServer, settings: Settings) -> None:
        self.app, self.server, self.settings = app, server, settings
        self.endpoint: StreamableHTTPASGIApp | None = None

    def new_session_manager(self) -> StreamableHTTPSessionManager:
        """One per run of the app's lifespan: the SDK's manager runs only once."""
        self.server.streamable_http_app(  # builds the session manager the endpoint serves
            streamable_http_path=PATH, stateless_http=False,
            max_request_body_size=self.settings.max_body_bytes,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
        self.endpoint = StreamableHTTPASGIApp(self.server.session_manager)
        return self.server.session_manager

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await principal_for_token(self.app.state, bearer_token(Headers(scope=scope)), None)
        except AppError as exc:
            await error_response(exc.status, exc.code, exc.message, exc.headers)(
                scope, receive, send)
            return
        if self.endpoint is None:  # the app's lifespan has not started it
            await error_response(503, "service_unavailable", "Starting up; retry shortly.",
                                 {"Retry-After": "1"})(scope, receive, send)
            return
        await self.endpoint(scope, receive, send)


def mount_mcp(app: FastAPI, settings: Settings) -> AuthenticatedMcp:
    """Route `/mcp` to the MCP server; `running` must wrap the app's lifespan."""
    mcp = AuthenticatedMcp(app, build_server(lambda: app.state, HttpCaller()), settings)
    app.router.routes.append(Route(PATH, endpoint=mcp, methods=["GET", "POST", "DELETE"]))
    return mcp


@asynccontextmanager
async def running(mcp: AuthenticatedMcp) -> AsyncIterator[None]:
    """The SDK's session manager, run in a task of its own: its task group must be left in the
    task that entered it, and a lifespan may end in another task than it began (test
    fixtures do)."""
    started, stop = asyncio.Event(), asyncio.Event()

    manager = mcp.new_session_manager()

    async def serve() -> None:
        async with manager.run():
            started.set()
            await stop.wait()

    task = asyncio.create_task(serve(), name="mcp-session-manager")
    waiting = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if task.done():
        task.result()  # it failed to start: raise why
    try:
        yield
    finally:
        stop.set()
        await task
