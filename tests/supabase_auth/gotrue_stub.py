"""A local stand-in for Supabase Auth (GoTrue) on the endpoints the adapter uses.

The real server cannot run here, so this one follows GoTrue's documented behaviour closely
enough for supabase-py to parse every reply: users with hashed passwords and sessions; HS256
(project secret) or RS256 (key served at /.well-known/jwks.json) access tokens with GoTrue's
claims; the session/user JSON shapes of `supabase_auth.types`; errors as GoTrue sends them
(`{"code": <error_code>, "message"}` when the client asks for API version 2024-01-01, else the
legacy `{"code": <status>, "error_code", "msg"}`); and the gateway's apikey check. With an RSA or
EC `private_key` it signs RS256/ES256 like a project using asymmetric JWT signing keys.

    stub = GoTrueStub(anon_key=..., jwt_secret=...)
    async with serve(stub):       # stub.url = "http://127.0.0.1:<port>"
        ...
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt
import uvicorn
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

API_VERSION_HEADER = "X-Supabase-Api-Version"
API_VERSION = "2024-01-01"


def _asymmetric_algorithm(private_key: Any) -> str:
    if isinstance(private_key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        return "ES256"
    raise TypeError(f"unsupported signing key {type(private_key).__name__}")


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


@dataclass
class StubUser:
    id: str
    email: str
    password_hash: str
    user_metadata: dict[str, Any]
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    confirmed_at: datetime | None = None
    last_sign_in_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        confirmed = _iso(self.confirmed_at) if self.confirmed_at else None
        identity_data = {"email": self.email, "sub": self.id, "email_verified": bool(confirmed)}
        return {
            "id": self.id,
            "aud": "authenticated",
            "role": "authenticated",
            "email": self.email,
            "email_confirmed_at": confirmed,
            "phone": "",
            "confirmed_at": confirmed,
            "last_sign_in_at": _iso(self.last_sign_in_at) if self.last_sign_in_at else None,
            "app_metadata": {"provider": "email", "providers": ["email"]},
            "user_metadata": {**identity_data, "phone_verified": False, **self.user_metadata},
            "identities": [
                {
                    "identity_id": str(uuid.uuid5(uuid.NAMESPACE_URL, self.id)),
                    "id": self.id,
                    "user_id": self.id,
                    "identity_data": identity_data,
                    "provider": "email",
                    "created_at": _iso(self.created_at),
                    "updated_at": _iso(self.created_at),
                    "email": self.email,
                }
            ],
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.created_at),
            "is_anonymous": False,
        }


class GoTrueError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


class GoTrueStub:
    def __init__(
        self,
        *,
        anon_key: str,
        jwt_secret: str | None = None,
        private_key: Any = None,
        kid: str = "stub-key-1",
        password_min_length: int = 6,
        autoconfirm: bool = True,
        token_seconds: int = 3600,
    ) -> None:
        if (jwt_secret is None) == (private_key is None):
            raise ValueError("give exactly one of jwt_secret (HS256) or private_key (RS256/ES256)")
        self.anon_key = anon_key
        self.jwt_secret = jwt_secret
        self.private_key = private_key
        self.kid = kid
        self.algorithm = "HS256" if private_key is None else _asymmetric_algorithm(private_key)
        self.password_min_length = password_min_length
        self.autoconfirm = autoconfirm
        self.token_seconds = token_seconds
        self.url = ""  # set by serve()
        self.users: dict[str, StubUser] = {}  # by e-mail
        self.sessions: dict[str, str] = {}  # session id -> user id
        self.calls: list[str] = []  # "POST /auth/v1/logout?scope=local", ...
        self.outage = False  # answer 503 like a gateway in front of a dead GoTrue
        # Real GoTrue writes auth.users in the project's Postgres; a test can mirror that here.
        self.on_user_created: Callable[[StubUser], Awaitable[None]] | None = None
        self._hasher = PasswordHasher(time_cost=1, memory_cost=8192)

    # --- tokens ------------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return f"{self.url}/auth/v1"

    def sign(self, claims: dict[str, Any]) -> str:
        if self.private_key is not None:
            return jwt.encode(claims, self.private_key, self.algorithm, headers={"kid": self.kid})
        return jwt.encode(claims, self.jwt_secret, "HS256")

    def _decode(self, token: str) -> dict[str, Any]:
        key = self.private_key.public_key() if self.private_key is not None else self.jwt_secret
        try:
            return jwt.decode(token, key, algorithms=[self.algorithm], audience="authenticated")
        except jwt.PyJWTError as exc:
            raise GoTrueError(403, "bad_jwt", f"invalid JWT: {exc}") from exc

    def jwks(self) -> dict[str, Any]:
        if self.private_key is None:
            return {"keys": []}  # HS256 projects publish no keys
        codec = RSAAlgorithm if self.algorithm == "RS256" else ECAlgorithm
        jwk = codec.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}]}

    def new_session(self, user: StubUser) -> dict[str, Any]:
        now = datetime.now(UTC)
        user.last_sign_in_at = now
        session_id = str(uuid.uuid4())
        self.sessions[session_id] = user.id
        iat = int(now.timestamp())
        claims = {
            "iss": self.issuer,
            "sub": user.id,
            "aud": "authenticated",
            "exp": iat + self.token_seconds,
            "iat": iat,
            "email": user.email,
            "phone": "",
            "app_metadata": {"provider": "email", "providers": ["email"]},
            "user_metadata": user.to_json()["user_metadata"],
            "role": "authenticated",
            "aal": "aal1",
            "amr": [{"method": "password", "timestamp": iat}],
            "session_id": session_id,
            "is_anonymous": False,
        }
        return {
            "access_token": self.sign(claims),
            "token_type": "bearer",
            "expires_in": self.token_seconds,
            "expires_at": iat + self.token_seconds,
            "refresh_token": secrets.token_urlsafe(9),
            "user": user.to_json(),
        }

    # --- operations (also callable directly, as if supabase-js had made the call) -------------

    async def create_user(
        self, email: str, password: str, metadata: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST /signup semantics; returns the session JSON (autoconfirm) or the user JSON."""
        email = email.strip().lower()
        if "@" not in email:
            raise GoTrueError(400, "validation_failed", "Unable to validate email address")
        if len(password) < self.password_min_length:
            raise GoTrueError(
                422,
                "weak_password",
                f"Password should be at least {self.password_min_length} characters.",
                weak_password={"reasons": ["length"]},
            )
        if email in self.users:
            if not self.autoconfirm:  # GoTrue hides existing accounts behind a fake user
                return {**self.users[email].to_json(), "id": str(uuid.uuid4())}
            raise GoTrueError(422, "user_already_exists", "User already registered")
        password_hash = await asyncio.to_thread(self._hasher.hash, password)
        user = StubUser(str(uuid.uuid4()), email, password_hash, dict(metadata or {}))
        self.users[email] = user
        if self.on_user_created is not None:
            await self.on_user_created(user)
        if not self.autoconfirm:
            return {**user.to_json(), "confirmation_sent_at": _iso(datetime.now(UTC))}
        user.confirmed_at = datetime.now(UTC)
        return self.new_session(user)

    async def password_grant(self, email: str, password: str) -> dict[str, Any]:
        user = self.users.get(email.strip().lower())
        invalid = GoTrueError(400, "invalid_credentials", "Invalid login credentials")
        if user is None:
            raise invalid
        try:
            await asyncio.to_thread(self._hasher.verify, user.password_hash, password)
        except VerificationError as exc:
            raise invalid from exc
        if user.confirmed_at is None:
            raise GoTrueError(400, "email_not_confirmed", "Email not confirmed")
        return self.new_session(user)

    def authenticate(self, request: Request) -> tuple[dict[str, Any], StubUser]:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise GoTrueError(401, "no_authorization", "This endpoint requires a Bearer token")
        claims = self._decode(header[7:])
        if claims.get("session_id") not in self.sessions:
            raise GoTrueError(
                403, "session_not_found", "Session from session_id claim in JWT does not exist"
            )
        user = next(u for u in self.users.values() if u.id == claims["sub"])
        return claims, user

    def logout(self, claims: dict[str, Any], scope: str) -> None:
        mine = claims["session_id"]
        for session_id, user_id in list(self.sessions.items()):
            if user_id != claims["sub"]:
                continue
            if scope == "global" or (scope == "local") == (session_id == mine):
                del self.sessions[session_id]

    # --- HTTP --------------------------------------------------------------------------------

    def _error(self, request: Request, exc: GoTrueError) -> JSONResponse:
        if request.headers.get(API_VERSION_HEADER) == API_VERSION:
            body = {"code": exc.code, "message": exc.message, **exc.extra}
            return JSONResponse(body, exc.status, headers={API_VERSION_HEADER: API_VERSION})
        legacy = {"code": exc.status, "error_code": exc.code, "msg": exc.message, **exc.extra}
        return JSONResponse(legacy, exc.status)

    async def _dispatch(self, request: Request) -> Response:
        query = f"?{request.url.query}" if request.url.query else ""
        self.calls.append(f"{request.method} {request.url.path}{query}")
        if self.outage:
            return JSONResponse({"message": "upstream unavailable"}, 503)
        path = request.url.path.removeprefix("/auth/v1")
        if path == "/.well-known/jwks.json":
            return JSONResponse(self.jwks())
        # The API gateway in front of GoTrue refuses requests without the project's key.
        apikey = request.headers.get("apikey")
        if apikey is None:
            return JSONResponse({"message": "No API key found in request"}, 401)
        if apikey != self.anon_key:
            return JSONResponse({"message": "Invalid API key"}, 401)
        try:
            if path == "/signup":
                body = await request.json()
                result = await self.create_user(
                    str(body.get("email", "")), str(body.get("password", "")), body.get("data")
                )
                return JSONResponse(result)
            if path == "/token":
                grant = request.query_params.get("grant_type")
                if grant != "password":
                    raise GoTrueError(400, "validation_failed", f"unsupported grant {grant}")
                body = await request.json()
                session = await self.password_grant(
                    str(body.get("email", "")), str(body.get("password", ""))
                )
                return JSONResponse(session)
            if path == "/logout":
                claims, _ = self.authenticate(request)
                self.logout(claims, request.query_params.get("scope", "global"))
                return Response(status_code=204)
            if path == "/user":
                _, user = self.authenticate(request)
                return JSONResponse(user.to_json())
            if path == "/settings":
                return JSONResponse(
                    {
                        "external": {"email": True, "phone": False},
                        "disable_signup": False,
                        "mailer_autoconfirm": self.autoconfirm,
                        "phone_autoconfirm": False,
                    }
                )
        except GoTrueError as exc:
            return self._error(request, exc)
        return self._error(request, GoTrueError(404, "not_found", "Not found"))

    def app(self) -> Starlette:
        methods = ["GET", "POST"]
        return Starlette(routes=[Route("/auth/v1/{rest:path}", self._dispatch, methods=methods)])


@asynccontextmanager
async def serve(stub: GoTrueStub) -> AsyncIterator[GoTrueStub]:
    """Serve the stub on 127.0.0.1 (random port) in the running event loop."""
    config = uvicorn.Config(
        stub.app(), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises the startup error
        await asyncio.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    stub.url = f"http://127.0.0.1:{port}"
    try:
        yield stub
    finally:
        server.should_exit = True
        await task
