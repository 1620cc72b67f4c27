"""Fixtures for AUTH_BACKEND=supabase against a local GoTrue stub (see gotrue_stub.py).

- `gotrue` — a running `GoTrueStub` (HS256, project secret JWT_SECRET) on 127.0.0.1.
- `app_settings` — overrides the root fixture (same sqlite/postgres parametrisation) with
  AUTH_BACKEND=supabase pointed at the stub, so the root `app`/`client` fixtures and any test
  written for the local backend run against Supabase auth unchanged.
- `app` — as the root fixture, and closes the backend's HTTP client afterwards.
- `supabase_settings(settings, stub, **extra)` — the same override as a plain function.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from api.app import create_app
from core.config import Settings
from tests.supabase_auth.gotrue_stub import GoTrueStub, serve

# The shape of a real project's secrets: a 32+ character JWT secret, and the anon key is itself
# an HS256 JWT (role "anon") signed with it.
JWT_SECRET = "stub-project-jwt-secret-with-at-least-32-characters"
ANON_KEY = jwt.encode({"iss": "supabase", "ref": "stub", "role": "anon"}, JWT_SECRET, "HS256")


def supabase_settings(settings: Settings, stub: GoTrueStub, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "auth_backend": "supabase",
        "supabase_url": stub.url,
        "supabase_anon_key": SecretStr(stub.anon_key),
        "supabase_jwt_secret": SecretStr(stub.jwt_secret) if stub.jwt_secret else None,
        "supabase_jwks_url": None if stub.jwt_secret else f"{stub.issuer}/.well-known/jwks.json",
    }
    values.update(extra)
    return settings.model_copy(update=values)


@pytest.fixture
async def gotrue() -> AsyncIterator[GoTrueStub]:
    # GoTrue's minimum is a project setting; match the API's so both layers agree by default.
    stub = GoTrueStub(anon_key=ANON_KEY, jwt_secret=JWT_SECRET, password_min_length=8)
    async with serve(stub):
        yield stub


@pytest.fixture
def app_settings(app_settings: Settings, gotrue: GoTrueStub) -> Settings:
    return supabase_settings(app_settings, gotrue)


@pytest.fixture
async def app(app_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(app_settings)
    async with application.router.lifespan_context(application):
        yield application
        await application.state.auth.aclose()
