"""Sign up / sign in / sign out and token verification, through HTTP, on SQLite and Postgres."""

from __future__ import annotations

import time
import uuid

import httpx
import jwt
import pytest

from api.app import create_app
from testkit.client import PASSWORD, auth_headers, signup

PROTECTED = "/api/user/progress"


def _error(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


async def test_signup_returns_user_and_supabase_style_token(client, app):
    token, user = await signup(client, "  Ada@Example.COM ", name="Ada")
    assert user["email"] == "ada@example.com" and user["name"] == "Ada"
    assert user["subscriptionTier"] == "free" and user["subscriptionStatus"] == "active"
    assert "createdAt" in user and uuid.UUID(user["id"])
    settings = app.state.settings
    claims = jwt.decode(
        token, settings.jwt_signing_secret(), algorithms=["HS256"], audience="authenticated"
    )
    assert claims["sub"] == user["id"]
    assert claims["email"] == "ada@example.com"
    assert claims["role"] == "authenticated"
    assert claims["iss"] == settings.jwt_issuer
    assert claims["exp"] - claims["iat"] == settings.access_token_minutes * 60
    assert uuid.UUID(claims["session_id"])
    # The token works on a protected route.
    assert (await client.get(PROTECTED, headers=auth_headers(token))).status_code == 200


@pytest.mark.parametrize("email", ["not-an-email", "a@", "", "@example.com", "a b@example.com"])
async def test_signup_rejects_bad_email(client, email):
    response = await client.post("/api/auth/signup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "validation_error"
    assert error["details"][0]["loc"][-1] == "email"


async def test_signup_rejects_weak_password(client, app):
    short = "x" * (app.state.settings.password_min_length - 1)
    response = await client.post(
        "/api/auth/signup", json={"email": "a@example.com", "password": short}
    )
    assert response.status_code == 422
    assert _error(response)["code"] == "weak_password"


async def test_signup_missing_fields_is_validation_error(client):
    response = await client.post("/api/auth/signup", json={"password": PASSWORD})
    assert response.status_code == 422
    assert _error(response)["code"] == "validation_error"


async def test_duplicate_email_is_409_regardless_of_case(client):
    await signup(client, email="dup@example.com")
    response = await client.post(
        "/api/auth/signup", json={"email": "DUP@example.com", "password": PASSWORD}
    )
    assert response.status_code == 409
    assert _error(response)["code"] == "email_taken"


async def test_signin_happy_path_with_normalised_email(client):
    _, user = await signup(client, email="grace@example.com")
    response = await client.post(
        "/api/auth/signin", json={"email": " Grace@EXAMPLE.com", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"] == user
    assert (await client.get(PROTECTED, headers=auth_headers(body["token"]))).status_code == 200


async def test_wrong_password_and_unknown_email_look_the_same(client):
    await signup(client, email="known@example.com")
    wrong = await client.post(
        "/api/auth/signin", json={"email": "known@example.com", "password": "wrong password"}
    )
    unknown = await client.post(
        "/api/auth/signin", json={"email": "nobody@example.com", "password": "wrong password"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert _error(wrong)["code"] == "invalid_credentials"
    assert wrong.headers["www-authenticate"] == "Bearer"


async def test_signin_throttled_after_max_failures(app_settings):
    settings = app_settings.model_copy(update={"signin_max_attempts": 3})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        attacker = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 5000)),
            base_url="http://test",
        )
        other_ip = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("198.51.100.1", 5000)),
            base_url="http://test",
        )
        async with attacker, other_ip:
            await signup(attacker, email="victim@example.com")
            bad = {"email": "victim@example.com", "password": "guess guess"}
            for _ in range(3):
                assert (await attacker.post("/api/auth/signin", json=bad)).status_code == 401
            blocked = await attacker.post(
                "/api/auth/signin", json={"email": "victim@example.com", "password": PASSWORD}
            )
            assert blocked.status_code == 429
            assert _error(blocked)["code"] == "too_many_attempts"
            assert 1 <= int(blocked.headers["retry-after"]) <= settings.signin_window_seconds
            # Another client is not locked out of the account by the attacker.
            ok = await other_ip.post(
                "/api/auth/signin", json={"email": "victim@example.com", "password": PASSWORD}
            )
            assert ok.status_code == 200


async def test_successful_signin_resets_failure_count(app_settings):
    app = create_app(app_settings.model_copy(update={"signin_max_attempts": 2}))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            await signup(client, email="reset@example.com")
            bad = {"email": "reset@example.com", "password": "guess guess"}
            good = {"email": "reset@example.com", "password": PASSWORD}
            assert (await client.post("/api/auth/signin", json=bad)).status_code == 401
            assert (await client.post("/api/auth/signin", json=good)).status_code == 200
            assert (await client.post("/api/auth/signin", json=bad)).status_code == 401
            assert (await client.post("/api/auth/signin", json=good)).status_code == 200


async def test_signout_revokes_only_that_token(client):
    token, _ = await signup(client, email="out@example.com")
    second = (
        await client.post(
            "/api/auth/signin", json={"email": "out@example.com", "password": PASSWORD}
        )
    ).json()["token"]
    response = await client.post("/api/auth/signout", headers=auth_headers(token))
    assert response.status_code == 200
    assert response.json() == {"success": True}
    after = await client.get(PROTECTED, headers=auth_headers(token))
    assert after.status_code == 401
    assert _error(after)["code"] == "token_revoked"
    again = await client.post("/api/auth/signout", headers=auth_headers(token))
    assert again.status_code == 401
    assert (await client.get(PROTECTED, headers=auth_headers(second))).status_code == 200


async def test_missing_token(client):
    for headers in ({}, {"Authorization": "Basic Zm9vOmJhcg=="}, {"Authorization": "Bearer"}):
        response = await client.post("/api/auth/signout", headers=headers)
        assert response.status_code == 401
        assert _error(response)["code"] == "missing_token"
        assert response.headers["www-authenticate"] == "Bearer"


def _claims(token: str, secret: str) -> dict:
    return jwt.decode(token, secret, algorithms=["HS256"], audience="authenticated")


async def test_bad_tokens_are_401_with_precise_codes(client, app):
    token, _ = await signup(client)
    secret = app.state.settings.jwt_signing_secret()
    claims = _claims(token, secret)
    now = int(time.time())
    cases = {
        "garbage": ("not.a.jwt", "invalid_token"),
        "forged": (jwt.encode(claims, "x" * 40, "HS256"), "invalid_token"),
        "expired": (
            jwt.encode({**claims, "iat": now - 7200, "exp": now - 3600}, secret, "HS256"),
            "token_expired",
        ),
        "wrong_audience": (jwt.encode({**claims, "aud": "anon"}, secret, "HS256"), "invalid_token"),
        "wrong_issuer": (
            jwt.encode({**claims, "iss": "elsewhere"}, secret, "HS256"),
            "invalid_token",
        ),
        "no_session": (
            jwt.encode({k: v for k, v in claims.items() if k != "session_id"}, secret, "HS256"),
            "invalid_token",
        ),
        "unknown_session": (
            jwt.encode({**claims, "session_id": str(uuid.uuid4())}, secret, "HS256"),
            "invalid_token",
        ),
        "other_users_session": (
            jwt.encode({**claims, "sub": str(uuid.uuid4())}, secret, "HS256"),
            "invalid_token",
        ),
        "alg_none": (jwt.encode(claims, None, algorithm="none"), "invalid_token"),
    }
    for name, (bad, code) in cases.items():
        response = await client.get(PROTECTED, headers=auth_headers(bad))
        assert response.status_code == 401, name
        assert _error(response)["code"] == code, name
        assert response.headers["www-authenticate"] == "Bearer", name


async def test_signin_bad_inputs(client):
    for body in ({}, {"email": "x@example.com"}, {"email": "bad", "password": "p"}):
        response = await client.post("/api/auth/signin", json=body)
        assert response.status_code == 422
        assert _error(response)["code"] == "validation_error"
