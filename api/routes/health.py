"""Liveness (/healthz) and readiness (/readyz) probes."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.schemas import Check, HealthResponse, ReadyResponse, error_responses

router = APIRouter(tags=["health"])

CHECK_TIMEOUT_SECONDS = 3.0


@router.get("/healthz", response_model=HealthResponse)
async def healthz() -> HealthResponse:
    """The process is up (no dependencies checked)."""
    return HealthResponse(status="ok")


async def _check_db(request: Request) -> Check:
    try:
        async with request.app.state.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), CHECK_TIMEOUT_SECONDS)
        return Check(status="ok")
    except Exception as exc:  # any failure means not ready; reported, not raised
        return Check(status="error", detail=type(exc).__name__)


async def _check_redis(url: str | None) -> Check:
    if not url:
        return Check(status="skipped", detail="REDIS_URL not set")
    import redis.asyncio as redis

    client = redis.from_url(
        url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
    )
    try:
        await client.ping()
        return Check(status="ok")
    except Exception as exc:  # any failure means not ready; reported, not raised
        return Check(status="error", detail=type(exc).__name__)
    finally:
        await client.aclose()


@router.get("/readyz", response_model=ReadyResponse, responses=error_responses(503))
async def readyz(request: Request) -> ReadyResponse | JSONResponse:
    """Ready to serve: the database answers SELECT 1 and Redis (when configured) answers PING."""
    db, cache = await asyncio.gather(
        _check_db(request), _check_redis(request.app.state.settings.redis_url)
    )
    checks = {"database": db, "redis": cache}
    failing = [name for name, c in checks.items() if c.status == "error"]
    if failing:
        body = {
            "error": {
                "code": "not_ready",
                "message": f"Unavailable: {', '.join(failing)}",
                "checks": {k: v.model_dump(exclude_none=True) for k, v in checks.items()},
            }
        }
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
    return ReadyResponse(status="ok", checks=checks)
