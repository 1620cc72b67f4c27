"""Projects with asymmetric JWT signing keys: tokens verified with keys from SUPABASE_JWKS_URL."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from api.app import create_app
from testkit.client import auth_headers, signup
from tests.supabase_auth.conftest import ANON_KEY
from tests.supabase_auth.gotrue_stub import GoTrueStub, serve

PROTECTED = "/api/user/progress"
JWKS_PATH = "GET /auth/v1/.well-known/jwks.json"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hmac_token(claims: dict, secret: bytes) -> str:
    """HS256 by hand: PyJWT refuses a PEM as HMAC secret, an attacker would not."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "key-2026"}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _new_key(algorithm: str):  # type: ignore[no-untyped-def]
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(params=["RS256", "ES256"])
async def gotrue(request: pytest.FixtureRequest) -> AsyncIterator[GoTrueStub]:
    """Overrides the HS256 stub: this project signs with a private key and publishes a JWKS
    (conftest's app_settings then sets SUPABASE_JWKS_URL and no JWT secret)."""
    stub = GoTrueStub(anon_key=ANON_KEY, private_key=_new_key(request.param), kid="key-2026")
    async with serve(stub):
        yield stub


async def test_tokens_verify_with_the_published_key_fetched_once(client, app, gotrue):
    assert app.state.settings.supabase_jwt_secret is None
    token, user = await signup(client, name="Key User")
    header = jwt.get_unverified_header(token)
    assert header["alg"] == gotrue.algorithm and header["kid"] == "key-2026"
    for _ in range(3):
        response = await client.get(PROTECTED, headers=auth_headers(token))
        assert response.status_code == 200, response.text
    second, _ = await signup(client)
    assert (await client.get(PROTECTED, headers=auth_headers(second))).status_code == 200
    assert gotrue.calls.count(JWKS_PATH) == 1  # cached across tokens and requests


async def test_tokens_signed_with_another_key_are_rejected(client, gotrue):
    token, _ = await signup(client)
    claims = jwt.decode(token, options={"verify_signature": False})
    public_pem = (
        gotrue.private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    other_key = _new_key(gotrue.algorithm)
    cases = {
        # Same kid, wrong key: an attacker's own key pair cannot mint tokens.
        "other_key": jwt.encode(claims, other_key, gotrue.algorithm, headers={"kid": "key-2026"}),
        "unknown_kid": jwt.encode(claims, other_key, gotrue.algorithm, headers={"kid": "nope"}),
        # Classic key confusion: HS256 "signed" with the public key as the HMAC secret.
        "hs256_with_public_key": _hmac_token(claims, public_pem.encode()),
        "alg_none": jwt.encode(claims, None, "none"),
    }
    for name, bad in cases.items():
        response = await client.get(PROTECTED, headers=auth_headers(bad))
        assert response.status_code == 401, name
        assert response.json()["error"]["code"] == "invalid_token", name
    # The genuine token still works afterwards.
    assert (await client.get(PROTECTED, headers=auth_headers(token))).status_code == 200


async def test_jwks_unreachable_is_503(app_settings, gotrue):
    live = create_app(app_settings)
    async with live.router.lifespan_context(live):
        transport = httpx.ASGITransport(app=live)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            token, _ = await signup(c)
        await live.state.auth.aclose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/auth/v1/.well-known/jwks.json"
    app = create_app(app_settings.model_copy(update={"supabase_jwks_url": dead}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            response = await c.get(PROTECTED, headers=auth_headers(token))
        await app.state.auth.aclose()
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "auth_unavailable"
