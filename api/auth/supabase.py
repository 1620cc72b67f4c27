"""AUTH_BACKEND=supabase: Supabase Auth (GoTrue) owns passwords and sessions; we verify its JWTs.

Sign up/in/out go through supabase-py's async auth client against SUPABASE_URL. Access tokens are
verified locally (HS256 with the project's JWT secret, or RS256/ES256 with keys from the
project's JWKS), so a request never waits on GoTrue. GoTrue access tokens are stateless: signing
out ends the session at GoTrue (its refresh token dies) but the access token itself would stay
valid until `exp`. So signout also records the token's `session_id` as revoked in
`auth_sessions` (the table local auth already checks on every request: shared by all workers,
durable across restarts, one primary-key lookup) and verify() rejects it at once.
`public.users` follows GoTrue's user (id = GoTrue user id) on signup, signin and verify.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from supabase._async.auth_client import AsyncSupabaseAuthClient
from supabase_auth import User as GoTrueUser
from supabase_auth.errors import AuthApiError, AuthRetryableError, AuthWeakPasswordError
from supabase_auth.errors import AuthError as GoTrueError

from api.auth.base import AuthError, AuthResult, Principal
from api.auth.local import INVALID_CREDENTIALS
from api.errors import AppError
from core.config import Settings
from db.models import User
from db.repo import users as users_repo

log = logging.getLogger(__name__)

GOTRUE_TIMEOUT_SECONDS = 10.0
JWKS_CACHE_SECONDS = 600
RETRY_AFTER_SECONDS = "5"
ASYMMETRIC_ALGORITHMS = ("RS256", "ES256")
# session_id is required too: a token without one could never be revoked by signing out.
REQUIRED_CLAIMS = ["sub", "email", "role", "aud", "exp", "iss", "session_id"]
EMAIL_TAKEN = "An account with this email already exists."
UNAVAILABLE = "The authentication service is unavailable; try again shortly."


@dataclass(frozen=True)
class SupabasePrincipal(Principal):
    """A Principal that keeps the raw token: GoTrue's logout needs the user's own JWT."""

    access_token: str = field(default="", repr=False)


def _unavailable() -> AppError:
    return AppError("auth_unavailable", UNAVAILABLE, 503, {"Retry-After": RETRY_AFTER_SECONDS})


def map_gotrue_error(exc: GoTrueError) -> AppError:
    """Translate supabase-py's errors into this API's error codes (one place, both calls)."""
    if isinstance(exc, AuthWeakPasswordError):
        return AppError("weak_password", exc.message, 422)
    if isinstance(exc, AuthRetryableError):  # connection refused/timeout, or a 502/503/504
        log.warning("GoTrue unreachable: %s", exc.message)
        return _unavailable()
    if isinstance(exc, AuthApiError):
        code, message = exc.code or "", exc.message.lower()
        if code in ("user_already_exists", "email_exists") or "already registered" in message:
            return AppError("email_taken", EMAIL_TAKEN, 409)
        if code == "invalid_credentials" or "invalid login credentials" in message:
            return AuthError("invalid_credentials", INVALID_CREDENTIALS)
        if code == "weak_password":
            return AppError("weak_password", exc.message, 422)
        if code == "email_not_confirmed":
            return AppError("email_not_confirmed", "Confirm your email, then sign in.", 403)
        if code in ("signup_disabled", "email_provider_disabled"):
            return AppError("signup_disabled", "Sign-ups are disabled.", 403)
        if code in ("email_address_invalid", "email_address_not_authorized"):
            return AppError("invalid_email", exc.message, 422)
        if exc.status == 429 or code.startswith("over_"):
            return AppError(
                "rate_limited", "Too many requests; retry later.", 429, {"Retry-After": "60"}
            )
    # Anything else (a 5xx, a rejected API key, an unparseable reply) is our side's problem to
    # fix, not the user's: log it and report the auth service as unavailable.
    log.error("GoTrue call failed: %r", exc)
    return _unavailable()


class SupabaseAuthBackend:
    def __init__(self, settings: Settings) -> None:
        if not settings.supabase_url or settings.supabase_anon_key is None:
            raise ValueError("AUTH_BACKEND=supabase needs SUPABASE_URL and SUPABASE_ANON_KEY")
        if settings.supabase_jwt_secret is None and not settings.supabase_jwks_url:
            raise ValueError("AUTH_BACKEND=supabase needs SUPABASE_JWT_SECRET or SUPABASE_JWKS_URL")
        self.settings = settings
        self.auth_url = settings.supabase_url.rstrip("/") + "/auth/v1"
        self.issuer = self.auth_url  # GoTrue's `iss` is its own external URL
        self._anon_key = settings.supabase_anon_key.get_secret_value()
        secret = settings.supabase_jwt_secret
        self._secret = secret.get_secret_value() if secret is not None else None
        # Cached keys; an unknown `kid` refetches at most once per cooldown (key rotation).
        self._jwks = (
            jwt.PyJWKClient(
                settings.supabase_jwks_url,
                cache_keys=True,
                lifespan=JWKS_CACHE_SECONDS,
                timeout=GOTRUE_TIMEOUT_SECONDS,
            )
            if settings.supabase_jwks_url
            else None
        )
        self._http = httpx.AsyncClient(timeout=GOTRUE_TIMEOUT_SECONDS)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _gotrue(self) -> AsyncSupabaseAuthClient:
        # A fresh client per call over one shared connection pool: supabase-py's auth client
        # keeps the signed-in session as client state, which must never leak between users.
        return AsyncSupabaseAuthClient(
            url=self.auth_url,
            headers={"apikey": self._anon_key, "Authorization": f"Bearer {self._anon_key}"},
            auto_refresh_token=False,
            persist_session=False,
            http_client=self._http,
        )

    # --- users row ---------------------------------------------------------------------------

    async def _sync_user(
        self, session: AsyncSession, user_id: uuid.UUID, email: str, name: str | None
    ) -> User:
        try:
            return await users_repo.sync_external_user(
                session=session, user_id=user_id, email=email, name=name
            )
        except IntegrityError as exc:
            # Another users row (another id) holds this e-mail: e.g. left over from an account
            # deleted in Supabase. Refuse rather than merge two identities silently.
            await session.rollback()
            log.error("users row conflict for GoTrue user %s (%s)", user_id, email)
            raise AppError(
                "account_conflict", "This email belongs to another account record.", 409
            ) from exc

    async def _sync_from_gotrue(self, session: AsyncSession, user: GoTrueUser) -> User:
        if not user.email:
            raise AppError("invalid_email", "The account has no email address.", 422)
        name = user.user_metadata.get("name")
        return await self._sync_user(
            session, uuid.UUID(user.id), user.email, name if isinstance(name, str) else None
        )

    # --- AuthBackend -------------------------------------------------------------------------

    async def signup(
        self, *, session: AsyncSession, email: str, password: str, name: str | None
    ) -> AuthResult:
        # The documented minimum (OpenAPI minLength); GoTrue may enforce a stricter policy.
        if len(password) < self.settings.password_min_length:
            raise AppError(
                "weak_password",
                f"Password must be at least {self.settings.password_min_length} characters.",
                status=422,
            )
        credentials: Any = {
            "email": email,
            "password": password,
            "options": {"data": {"name": name} if name else {}},
        }
        try:
            response = await self._gotrue().sign_up(credentials)
        except GoTrueError as exc:
            raise map_gotrue_error(exc) from exc
        if response.session is None:
            # Email confirmation is on: no token until the user confirms. (GoTrue answers a
            # duplicate the same way then, so nothing about the account can be inferred.)
            raise AppError(
                "email_confirmation_required",
                "Check your email to confirm the account, then sign in.",
                403,
            )
        user = await self._sync_from_gotrue(session, response.session.user)
        return AuthResult(user=user, token=response.session.access_token)

    async def signin(self, *, session: AsyncSession, email: str, password: str) -> AuthResult:
        try:
            response = await self._gotrue().sign_in_with_password(
                {"email": email, "password": password}
            )
        except GoTrueError as exc:
            raise map_gotrue_error(exc) from exc
        if response.session is None:  # pragma: no cover - GoTrue always returns one on success
            raise _unavailable()
        user = await self._sync_from_gotrue(session, response.session.user)
        return AuthResult(user=user, token=response.session.access_token)

    async def signout(self, *, session: AsyncSession, principal: Principal) -> None:
        if isinstance(principal, SupabasePrincipal) and principal.access_token:
            try:
                # scope=local ends this session only, like local auth's signout.
                await self._gotrue().admin.sign_out(principal.access_token, scope="local")
            except AuthApiError as exc:
                # 401/403/404: GoTrue no longer knows the session: already signed out there.
                if exc.status not in (401, 403, 404):
                    raise map_gotrue_error(exc) from exc
            except GoTrueError as exc:
                raise map_gotrue_error(exc) from exc
        if principal.session_id is not None:
            await users_repo.revoke_external_session(
                session=session,
                user_id=principal.user_id,
                session_id=principal.session_id,
                expires_at=datetime.fromtimestamp(int(principal.claims["exp"]), UTC),
            )

    async def verify(self, *, session: AsyncSession, token: str) -> Principal:
        claims = await self.decode(token)
        user_id = uuid.UUID(str(claims["sub"]))
        session_id = uuid.UUID(str(claims["session_id"]))
        email = str(claims["email"]).lower()
        row = await users_repo.get_auth_session(session=session, user_id=user_id,
                                                session_id=session_id)
        if row is not None and row.revoked_at is not None:
            raise AuthError("token_revoked", "The token was revoked by signing out.")
        await self._ensure_user_row(session, user_id, email, claims)
        return SupabasePrincipal(
            user_id=user_id, email=email, session_id=session_id, claims=claims, access_token=token
        )

    async def decode_principal(self, token: str) -> Principal:
        claims = await self.decode(token)
        return SupabasePrincipal(
            user_id=uuid.UUID(str(claims["sub"])), email=str(claims["email"]).lower(),
            session_id=uuid.UUID(str(claims["session_id"])), claims=claims, access_token=token)

    async def _ensure_user_row(
        self, session: AsyncSession, user_id: uuid.UUID, email: str, claims: dict[str, Any]
    ) -> None:
        """Create/update the users row for accounts made or changed outside this API (e.g. by
        supabase-js in the browser). Reads only, unless something differs."""
        existing = await users_repo.get_user(session=session, user_id=user_id)
        if existing is not None and existing.email == email:
            return
        metadata = claims.get("user_metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        # Its own short transaction: read-only routes never commit the request's session.
        async with AsyncSession(bind=session.bind, expire_on_commit=False) as own:
            await self._sync_user(own, user_id, email, name if isinstance(name, str) else None)
            await own.commit()
        if existing is not None:
            await session.refresh(existing)

    # --- tokens ------------------------------------------------------------------------------

    async def _key_for(self, algorithm: str, token: str) -> Any:
        if algorithm == "HS256" and self._secret is not None:
            return self._secret
        if algorithm in ASYMMETRIC_ALGORITHMS and self._jwks is not None:
            try:
                # PyJWKClient is synchronous (urllib); a cache miss must not block the loop.
                signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
            except jwt.PyJWKClientConnectionError as exc:
                log.warning("JWKS unreachable: %s", exc)
                raise _unavailable() from exc
            return signing_key.key
        # Includes "none" and HS256 when only a JWKS is configured (no key confusion possible).
        raise jwt.InvalidAlgorithmError(f"algorithm {algorithm!r} is not accepted")

    async def decode(self, token: str) -> dict[str, Any]:
        """Verify signature, expiry, audience, issuer, role and required claims; return claims."""
        try:
            algorithm = str(jwt.get_unverified_header(token).get("alg"))
            key = await self._key_for(algorithm, token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.settings.jwt_audience,
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
            )
            # The anon and service_role keys are JWTs from the same issuer; only users pass.
            if claims["role"] != "authenticated":
                raise jwt.InvalidTokenError("not a user token")
            if not isinstance(claims["email"], str) or "@" not in claims["email"]:
                raise jwt.InvalidTokenError("no email")
            uuid.UUID(str(claims["sub"]))
            uuid.UUID(str(claims["session_id"]))
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token_expired", "The token has expired; sign in again.") from exc
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise AuthError("invalid_token", "The token is invalid.") from exc
        return claims
