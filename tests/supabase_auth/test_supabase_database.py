"""The whole Supabase deployment path: DATABASE_URL on a Postgres built from supabase/migrations
(including the auth_sessions migration), migrations on start off, GoTrue
writing auth.users in the same database so the on_auth_user_created trigger makes public.users."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from api.app import create_app
from testkit import services
from testkit.client import PASSWORD, auth_headers, settings_for
from tests.integrations.supabase_stub import (
    apply_migrations,
    install_supabase_stub,
    throwaway_database,
)
from tests.supabase_auth.conftest import supabase_settings
from tests.supabase_auth.gotrue_stub import GoTrueStub, StubUser

pytestmark = pytest.mark.postgres

@pytest.fixture
def supabase_dsn() -> Iterator[str]:
    with throwaway_database("supaauth") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            install_supabase_stub(conn)
            # includes 20261125000200_auth_sessions.sql, the revoked-session store
            assert "20261125000200_auth_sessions.sql" in apply_migrations(conn)
        yield dsn


async def test_signup_signin_signout_on_the_supabase_schema(
    tmp_path, gotrue: GoTrueStub, supabase_dsn: str
):
    trigger_rows: list[tuple | None] = []

    async def write_auth_user(user: StubUser) -> None:
        async with await psycopg.AsyncConnection.connect(supabase_dsn, autocommit=True) as c:
            await c.execute(
                "insert into auth.users (id, email, raw_user_meta_data) values (%s, %s, %s)",
                (user.id, user.email, json.dumps(user.user_metadata)),
            )
            made = await c.execute("select name from public.users where id = %s", (user.id,))
            trigger_rows.append(await made.fetchone())

    gotrue.on_user_created = write_auth_user
    db_name = supabase_dsn.split("dbname=")[1].split()[0]
    settings = supabase_settings(
        settings_for(
            "sqlite",
            tmp_path,
            DATABASE_URL=services.libpq_url(db_name).replace("postgresql://", "postgres://", 1),
            COURSEGEN_MIGRATE_ON_START=False,
        ),
        gotrue,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            signup = await client.post(
                "/api/auth/signup",
                json={"email": "sup@example.com", "password": PASSWORD, "name": "Sup User"},
            )
            assert signup.status_code == 201, signup.text
            token, user = signup.json()["token"], signup.json()["user"]
            assert user["name"] == "Sup User" and user["subscriptionTier"] == "free"
            progress = await client.get("/api/user/progress", headers=auth_headers(token))
            assert progress.status_code == 200 and progress.json() == {"courses": []}
            out = await client.post("/api/auth/signout", headers=auth_headers(token))
            assert out.status_code == 200, out.text
            after = await client.get("/api/user/progress", headers=auth_headers(token))
            assert after.status_code == 401
            assert after.json()["error"]["code"] == "token_revoked"
            again = await client.post(
                "/api/auth/signin", json={"email": "sup@example.com", "password": PASSWORD}
            )
            assert again.status_code == 200 and again.json()["user"] == user
        await app.state.auth.aclose()
    with psycopg.connect(supabase_dsn) as conn:
        users = conn.execute("select id::text, email, name from public.users").fetchall()
        revoked = conn.execute(
            "select user_id::text from public.auth_sessions where revoked_at is not null"
        ).fetchall()
    assert trigger_rows == [("Sup User",)]  # made by on_auth_user_created before the API synced
    assert users == [(user["id"], "sup@example.com", "Sup User")]  # reused, not duplicated
    assert revoked == [(user["id"],)]
