"""Supabase-specific auth behaviour through HTTP: token shape, public.users sync, revocation,
token verification and GoTrue error mapping (the local suite's token tests, for GoTrue tokens)."""

from __future__ import annotations

import time
import uuid

import jwt
from sqlalchemy import select

from api.app import create_app
from db.models import AuthSession, User
from testkit.client import PASSWORD, auth_headers, signup
from tests.supabase_auth.conftest import ANON_KEY, JWT_SECRET

PROTECTED = "/api/user/progress"


def _code(response) -> str:
    return response.json()["error"]["code"]


def _claims(token: str) -> dict:
    return jwt.decode(token, JWT_SECRET, algorithms=["HS256"], audience="authenticated")


async def _user_row(app, user_id: str) -> User | None:
    async with app.state.sessionmaker() as session:
        return await session.get(User, uuid.UUID(user_id))


async def test_signup_returns_gotrue_token_and_syncs_users_row(client, app, gotrue):
    token, user = await signup(client, "  Ada@Example.COM ", name="Ada")
    stored = gotrue.users["ada@example.com"]
    assert user["id"] == stored.id  # public.users.id is GoTrue's user id
    assert user["email"] == "ada@example.com" and user["name"] == "Ada"
    assert user["subscriptionTier"] == "free" and user["subscriptionStatus"] == "active"
    assert stored.password_hash.startswith("$argon2") and PASSWORD not in stored.password_hash
    claims = _claims(token)
    assert claims["sub"] == user["id"] and claims["email"] == "ada@example.com"
    assert claims["role"] == "authenticated" and claims["iss"] == gotrue.issuer
    assert claims["user_metadata"]["name"] == "Ada"
    assert claims["session_id"] in gotrue.sessions
    row = await _user_row(app, user["id"])
    assert row is not None and (row.email, row.name) == ("ada@example.com", "Ada")
    assert (await client.get(PROTECTED, headers=auth_headers(token))).status_code == 200


async def test_account_made_outside_the_api_gets_a_users_row_on_first_request(client, app, gotrue):
    # As if the browser had signed up with supabase-js: GoTrue knows the user, we do not yet.
    session = await gotrue.create_user("web@example.com", PASSWORD, {"name": "Web User"})
    user_id = session["user"]["id"]
    assert await _user_row(app, user_id) is None
    response = await client.get(PROTECTED, headers=auth_headers(session["access_token"]))
    assert response.status_code == 200, response.text
    row = await _user_row(app, user_id)  # committed, although the route only reads
    assert row is not None and (row.email, row.name) == ("web@example.com", "Web User")


async def test_email_changed_at_gotrue_is_followed(client, app, gotrue):
    token, user = await signup(client, email="old@example.com", name="Renamed Later")
    stored = gotrue.users.pop("old@example.com")
    stored.email = "new@example.com"
    gotrue.users["new@example.com"] = stored
    fresh = await client.post(
        "/api/auth/signin", json={"email": "new@example.com", "password": PASSWORD}
    )
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["user"]["email"] == "new@example.com"
    row = await _user_row(app, user["id"])
    assert row is not None and row.email == "new@example.com" and row.name == "Renamed Later"


async def test_signout_ends_the_gotrue_session_and_revokes_the_token(client, app, gotrue):
    token, user = await signup(client, email="out@example.com")
    session_id = _claims(token)["session_id"]
    response = await client.post("/api/auth/signout", headers=auth_headers(token))
    assert response.status_code == 200 and response.json() == {"success": True}
    assert "POST /auth/v1/logout?scope=local" in gotrue.calls
    assert session_id not in gotrue.sessions  # the refresh token is dead at GoTrue too
    async with app.state.sessionmaker() as db:
        row = await db.scalar(select(AuthSession).where(AuthSession.id == uuid.UUID(session_id)))
    assert row is not None and row.revoked_at is not None
    assert str(row.user_id) == user["id"]
    assert row.expires_at.timestamp() == _claims(token)["exp"]
    # Durable, not per-process: a second app on the same database rejects the token too.
    other = create_app(app.state.settings)
    async with other.router.lifespan_context(other):
        import httpx

        transport = httpx.ASGITransport(app=other)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c2:
            after = await c2.get(PROTECTED, headers=auth_headers(token))
        await other.state.auth.aclose()
    assert after.status_code == 401 and _code(after) == "token_revoked"


async def test_signout_after_gotrue_already_forgot_the_session(client, gotrue):
    token, _ = await signup(client)
    gotrue.sessions.clear()  # e.g. signed out everywhere from another device
    response = await client.post("/api/auth/signout", headers=auth_headers(token))
    assert response.status_code == 200
    after = await client.get(PROTECTED, headers=auth_headers(token))
    assert after.status_code == 401 and _code(after) == "token_revoked"


async def test_bad_tokens_are_401_with_precise_codes(client, gotrue):
    token, _ = await signup(client)
    claims = _claims(token)
    now = int(time.time())
    sign = lambda c: jwt.encode(c, JWT_SECRET, "HS256")  # noqa: E731
    without = lambda k: sign({n: v for n, v in claims.items() if n != k})  # noqa: E731
    cases = {
        "garbage": ("not.a.jwt", "invalid_token"),
        "forged": (jwt.encode(claims, "y" * 40, "HS256"), "invalid_token"),
        "expired": (sign({**claims, "iat": now - 7200, "exp": now - 3600}), "token_expired"),
        "wrong_audience": (sign({**claims, "aud": "anon"}), "invalid_token"),
        "wrong_issuer": (
            sign({**claims, "iss": "https://other.supabase.co/auth/v1"}),
            "invalid_token",
        ),
        "anon_key": (ANON_KEY, "invalid_token"),
        "service_role": (sign({**claims, "role": "service_role"}), "invalid_token"),
        "no_session": (without("session_id"), "invalid_token"),
        "no_email": (without("email"), "invalid_token"),
        "no_role": (without("role"), "invalid_token"),
        "bad_sub": (sign({**claims, "sub": "not-a-uuid"}), "invalid_token"),
        "alg_none": (jwt.encode(claims, None, algorithm="none"), "invalid_token"),
    }
    for name, (bad, code) in cases.items():
        response = await client.get(PROTECTED, headers=auth_headers(bad))
        assert response.status_code == 401, name
        assert _code(response) == code, name
        assert response.headers["www-authenticate"] == "Bearer", name


async def test_gotrue_password_policy_maps_to_weak_password(client, gotrue):
    gotrue.password_min_length = 30  # the project is stricter than the API's minimum
    response = await client.post(
        "/api/auth/signup", json={"email": "weak@example.com", "password": PASSWORD}
    )
    assert response.status_code == 422 and _code(response) == "weak_password"
    assert "30 characters" in response.json()["error"]["message"]


async def test_gotrue_down_is_503_but_issued_tokens_still_verify(client, gotrue):
    token, _ = await signup(client, email="down@example.com")
    gotrue.outage = True
    for path, body in (
        ("/api/auth/signup", {"email": "new@example.com", "password": PASSWORD}),
        ("/api/auth/signin", {"email": "down@example.com", "password": PASSWORD}),
    ):
        response = await client.post(path, json=body)
        assert response.status_code == 503, path
        assert _code(response) == "auth_unavailable" and response.headers["retry-after"]
    # Verification is local: requests keep working while GoTrue is down...
    assert (await client.get(PROTECTED, headers=auth_headers(token))).status_code == 200
    # ...but signing out needs GoTrue; it fails cleanly and the token is not half-revoked.
    response = await client.post("/api/auth/signout", headers=auth_headers(token))
    assert response.status_code == 503
    assert (await client.get(PROTECTED, headers=auth_headers(token))).status_code == 200


async def _signin_with(settings):
    """One sign-in through a fresh app built on `settings` (the fixture app's are fixed)."""
    import httpx

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            response = await c.post(
                "/api/auth/signin", json={"email": "a@example.com", "password": PASSWORD}
            )
        await app.state.auth.aclose()
    return response


async def test_gotrue_unreachable_is_503(app_settings, gotrue):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    response = await _signin_with(app_settings.model_copy(update={"supabase_url": dead}))
    assert response.status_code == 503 and _code(response) == "auth_unavailable"


async def test_wrong_anon_key_is_reported_as_unavailable_not_as_bad_credentials(app_settings):
    from pydantic import SecretStr

    response = await _signin_with(
        app_settings.model_copy(update={"supabase_anon_key": SecretStr("wrong")}))
    assert response.status_code == 503 and _code(response) == "auth_unavailable"


async def test_email_confirmation_required(client, gotrue):
    gotrue.autoconfirm = False
    response = await client.post(
        "/api/auth/signup", json={"email": "confirm@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403 and _code(response) == "email_confirmation_required"
    response = await client.post(
        "/api/auth/signin", json={"email": "confirm@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403 and _code(response) == "email_not_confirmed"


async def test_email_held_by_another_users_row_is_a_conflict(client, app, gotrue):
    async with app.state.sessionmaker() as db:  # e.g. left over from a deleted account
        db.add(User(id=uuid.uuid4(), email="taken@example.com", name="Old"))
        await db.commit()
    await gotrue.create_user("taken@example.com", PASSWORD)
    response = await client.post(
        "/api/auth/signin", json={"email": "taken@example.com", "password": PASSWORD}
    )
    assert response.status_code == 409 and _code(response) == "account_conflict"
