"""Health probes, the error format, body limits, CORS, DB outages and the OpenAPI document."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from testkit import services
from testkit.client import PASSWORD, settings_for


async def test_healthz(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_database(client):
    response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "skipped"


async def _credentials(app: FastAPI, path: str) -> httpx.Response:
    """POST a valid email and password to an auth route."""
    return await _get(app, path, method="POST",
                      json={"email": "a@example.com", "password": PASSWORD})


async def _get(app: FastAPI, path: str, **kwargs) -> httpx.Response:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.request(kwargs.pop("method", "GET"), path, **kwargs)


@pytest.mark.redis
async def test_readyz_with_redis(app_settings):
    ok = await _get(
        create_app(app_settings.model_copy(update={"redis_url": services.need_redis()})),
        "/readyz",
    )
    assert ok.status_code == 200
    assert ok.json()["checks"]["redis"]["status"] == "ok"


async def test_readyz_503_when_redis_down(app_settings):
    app = create_app(app_settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}))
    response = await _get(app, "/readyz")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "not_ready" and "redis" in error["message"]
    assert error["checks"]["database"]["status"] == "ok"


async def test_unknown_route_and_wrong_method(client):
    missing = await client.get("/api/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = await client.get("/api/auth/signin")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


async def test_malformed_json_is_validation_error(client):
    response = await client.post(
        "/api/auth/signin", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_a_body_that_is_not_utf8_is_validation_error_too(client):
    """FastAPI answers 400 "error parsing the body" for bytes it cannot decode; the contract
    documents 422 for every bad body, so it is one (schemathesis found the 400)."""
    response = await client.post("/api/auth/signin", content=b"\xff\xfelVU",
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert "JSON" in response.json()["error"]["message"]


async def test_body_size_limit(app_settings):
    app = create_app(app_settings.model_copy(update={"max_body_bytes": 1000}))
    big = {"email": "a@example.com", "password": "p" * 2000}
    declared = await _get(app, "/api/auth/signup", method="POST", json=big)
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "payload_too_large"

    async def chunks():  # no Content-Length: the limit applies while streaming
        for _ in range(5):
            yield b"x" * 400

    streamed = await _get(
        app,
        "/api/auth/signup",
        method="POST",
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "payload_too_large"
    small = await _credentials(app, "/api/auth/signup")
    assert small.status_code == 201


async def test_cors_preflight(client):
    headers = {
        "Origin": "http://localhost:3000",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    allowed = await client.options("/api/auth/signin", headers=headers)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    denied = await client.options(
        "/api/auth/signin", headers={**headers, "Origin": "http://evil.example"}
    )
    assert "access-control-allow-origin" not in denied.headers


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_database_down_is_503_not_500(kind, tmp_path):
    if kind == "sqlite":
        # A directory where the database file should be: SQLite cannot open it.
        settings = settings_for("sqlite", tmp_path, COURSEGEN_MIGRATE_ON_START=False)
        (tmp_path / "data" / "test.db").mkdir(parents=True)
    else:
        settings = settings_for(
            "sqlite",
            tmp_path,
            COURSEGEN_MIGRATE_ON_START=False,
            DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/test",
        )
    app = create_app(settings)
    response = await _credentials(app, "/api/auth/signin")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"
    assert int(response.headers["retry-after"]) > 0
    ready = await _get(app, "/readyz")
    assert ready.status_code == 503
    assert ready.json()["error"]["checks"]["database"]["status"] == "error"


async def test_unhandled_error_keeps_the_error_shape(app_settings):
    app = create_app(app_settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("kaboom")

    response = await _get(app, "/boom")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "Internal server error."}
    }


def test_openapi_documents_every_route_and_error_shape(tmp_path):
    schema = create_app(settings_for("sqlite", tmp_path)).openapi()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, op in item.items():
            ok = next((op["responses"][s] for s in ("200", "201", "202") if s in op["responses"]),
                      None)
            assert ok, (method, path)
            # streams and downloads document their own media types; everything else is JSON
            media = "text/event-stream" if path.endswith(("/events", "/ask")) else (
                "text/markdown" if path.endswith("/export") else "application/json")
            assert ok["content"][media]["schema"], (method, path)
            for status, resp in op["responses"].items():
                if status.startswith(("4", "5")):
                    ref = resp["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorResponse"), (method, path, status)
            if path.startswith("/api/user") or path.endswith("/signout"):
                assert op["security"] == [{"HTTPBearer": []}]
                assert "401" in op["responses"]
