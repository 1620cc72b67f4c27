"""FastAPI application factory: `create_app(settings)`; state is built in the lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import make_auth_backend
from api.auth.session_cache import SessionCache
from api.auth.throttle_redis import close_signin_throttle, make_signin_throttle
from api.background import run_background
from api.deps import reject_unknown_query
from api.docs import mount_docs
from api.errors import error_response, install_error_handlers
from api.mcp_server.http import mount_mcp
from api.mcp_server.http import running as mcp_running
from api.openapi_bodies import progress_event_union
from api.routes import auth, course_actions, courses, health, study, tutor, user, webhooks
from api.web import mount_web
from core.config import Settings, get_settings
from db import migrate
from db.repo.course_state import CourseStateReader
from db.session import make_engine, make_loop_reader, make_sessionmaker

log = logging.getLogger(__name__)

SSE_FRAME = {
    "type": "object", "required": ["event", "data"],
    "properties": {
        "id": {"type": "string"}, "event": {"type": "string"},
        "data": {"type": "string", "contentMediaType": "application/json",
                 "contentSchema": {"$ref": "#/components/schemas/ProgressEvent"}}}}
TOO_LARGE = "Request body is larger than {limit} bytes."


class BodySizeLimit:
    """Reject bodies over `max_bytes` with 413: at once from Content-Length, otherwise while
    streaming (chunked uploads carry no length)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = TOO_LARGE.format(limit=self.max_bytes)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    response = error_response(413, "payload_too_large", message)
                    await response(scope, receive, send)
                    return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    # Raised inside the route's body read; the HTTPException handler shapes it.
                    raise StarletteHTTPException(413, detail=message)
            return msg

        await self.app(scope, limited_receive, send)


def _freeze_startup_heap() -> None:
    """Move what startup built (modules, classes, the graph, tokenizer tables: ~340k objects)
    out of the collector's reach. Left in, every full collection walks them: ~0.6 s with the
    event loop stopped, measured as the status poll's p99 under load. They live as long as the
    process, so the collector could never free them anyway."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, *, chat_factory: Any = None,
               fetch_captions: Any = None) -> FastAPI:
    """The API. `chat_factory` and `fetch_captions` swap the chat model and the YouTube tool
    (tests pass the scripted fake LLM and canned captions)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_data_dir()
        engine = make_engine(settings.resolved_database_url)
        try:
            if settings.migrate_on_start:
                await migrate.upgrade(engine)
            app.state.settings = settings
            app.state.engine = engine
            app.state.sessionmaker = make_sessionmaker(engine)
            app.state.loop_reader = make_loop_reader(settings.resolved_database_url)
            app.state.course_states = CourseStateReader(engine, app.state.loop_reader)
            app.state.auth = make_auth_backend(settings)
            app.state.session_cache = SessionCache(settings.auth_cache_seconds,
                                                   settings.redis_url)
            await app.state.session_cache.start()
            # shared through Redis when REDIS_URL is set, so it holds across API processes
            app.state.signin_throttle = make_signin_throttle(settings)
            try:
                async with run_background(app, settings, chat_factory, fetch_captions), \
                        mcp_running(mcp):
                    _freeze_startup_heap()
                    yield
            finally:
                await close_signin_throttle(app.state.signin_throttle)
                await app.state.session_cache.aclose()
                close_auth = getattr(app.state.auth, "aclose", None)
                if close_auth is not None:
                    await close_auth()
        finally:
            if getattr(app.state, "loop_reader", None) is not None:
                app.state.loop_reader.dispose()
            await engine.dispose()

    app = FastAPI(
        title="coursegen",
        version="0.1.0",
        summary="Turn a YouTube video or a transcript into a course.",
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_query)],
        docs_url=None, redoc_url=None,  # mount_docs serves them on packaged assets
    )
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
        expose_headers=["Retry-After", "ETag"],
    )
    routers = (health.router, auth.router, user.router, courses.router, course_actions.router,
               tutor.router, study.router, webhooks.router)
    for router in routers:
        app.include_router(router)
    mcp = mount_mcp(app, settings)  # before the web app's catch-all
    mount_web(app)
    mount_docs(app)
    _finish_openapi(app, settings)
    return app


def _finish_openapi(app: FastAPI, settings: Settings) -> None:
    """Put limits that come from settings into the OpenAPI document, so it stays accurate, and
    declare the SSE stream: `text/event-stream` whose schema is one event frame (`id`, `event`,
    `data`) and whose `data` is the JSON of the named ProgressEvent component (FastAPI files
    the model of an extra response under application/json)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            signup = schema["components"]["schemas"]["SignupRequest"]["properties"]
            signup["password"]["minLength"] = settings.password_min_length
            events = schema["paths"]["/api/courses/{courseId}/events"]["get"]["responses"]["200"]
            events["content"] = {"text/event-stream": {"schema": SSE_FRAME}}
            _declare_unknown_parameter(schema)
            progress_event_union(schema["components"]["schemas"])
            tutor.document_ask_stream(schema)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def _declare_unknown_parameter(schema: dict[str, Any]) -> None:
    """Every operation can answer 422 `unknown_parameter` (reject_unknown_query), including
    those with no parameters of their own."""
    error = {"$ref": "#/components/schemas/ErrorResponse"}
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault("422", {
                "description": "Unprocessable Entity (unknown_parameter: an undeclared query "
                               "parameter)",
                "content": {"application/json": {"schema": error}}})
