"""AUTH_BACKEND=local: argon2 password hashes and HS256 JWTs with Supabase-style claims.

Each token names a row in auth_sessions; verify() looks it up, so signout revokes at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.base import AuthError, AuthResult, Principal
from api.errors import AppError
from core.config import Settings
from db.repo import users as users_repo

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "email", "exp", "iat", "aud", "iss", "session_id"]
INVALID_CREDENTIALS = "Email or password is incorrect."


class LocalAuthBackend:
    def __init__(self, settings: Settings, hasher: PasswordHasher | None = None) -> None:
        self.settings = settings
        self.hasher = hasher or PasswordHasher(
            time_cost=settings.password_hash_time_cost,
            memory_cost=settings.password_hash_memory_kib,
        )
        self._secret = settings.jwt_signing_secret()
        # Verified against when the email is unknown, so both failures cost the same time.
        self._dummy_hash = self.hasher.hash(uuid.uuid4().hex)

    # --- passwords ---------------------------------------------------------------------------

    def check_policy(self, password: str) -> None:
        if len(password) < self.settings.password_min_length:
            raise AppError(
                "weak_password",
                f"Password must be at least {self.settings.password_min_length} characters.",
                status=422,
            )

    async def _verify_password(self, password_hash: str, password: str) -> bool:
        def verify() -> bool:
            try:
                return self.hasher.verify(password_hash, password)
            except (VerificationError, InvalidHashError):
                return False

        # argon2 is deliberately slow and memory-hard; keep it off the event loop.
        return await asyncio.to_thread(verify)

    # --- tokens ------------------------------------------------------------------------------

    def issue_token(
        self,
        *,
        user_id: uuid.UUID,
        email: str,
        session_id: uuid.UUID,
        issued_at: datetime,
        expires_at: datetime,
    ) -> str:
        claims: dict[str, Any] = {
            "sub": str(user_id),
            "email": email,
            "role": "authenticated",
            "aud": self.settings.jwt_audience,
            "iss": self.settings.jwt_issuer,
            "iat": int(issued_at.timestamp()),
            "exp": int(expires_at.timestamp()),
            "session_id": str(session_id),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    async def _new_session(self, session: AsyncSession, user_id: uuid.UUID, email: str) -> str:
        now = datetime.now(UTC)
        expires = now + timedelta(minutes=self.settings.access_token_minutes)
        row = await users_repo.create_session(session=session, user_id=user_id, expires_at=expires)
        return self.issue_token(
            user_id=user_id, email=email, session_id=row.id, issued_at=now, expires_at=expires
        )

    # --- AuthBackend -------------------------------------------------------------------------

    async def signup(
        self, *, session: AsyncSession, email: str, password: str, name: str | None
    ) -> AuthResult:
        self.check_policy(password)
        if await users_repo.email_exists(session=session, email=email):
            raise AppError("email_taken", "An account with this email already exists.", 409)
        password_hash = await asyncio.to_thread(self.hasher.hash, password)
        try:
            user = await users_repo.create_user(
                session=session, email=email, name=name, password_hash=password_hash
            )
        except IntegrityError as exc:  # a concurrent signup won the race for this email
            await session.rollback()
            raise AppError(
                "email_taken", "An account with this email already exists.", 409
            ) from exc
        token = await self._new_session(session, user.id, user.email)
        return AuthResult(user=user, token=token)

    async def signin(self, *, session: AsyncSession, email: str, password: str) -> AuthResult:
        found = await users_repo.get_user_with_credential_by_email(session=session, email=email)
        if found is None:
            await self._verify_password(self._dummy_hash, password)
            raise AuthError("invalid_credentials", INVALID_CREDENTIALS)
        user, credential = found
        if not await self._verify_password(credential.password_hash, password):
            raise AuthError("invalid_credentials", INVALID_CREDENTIALS)
        if self.hasher.check_needs_rehash(credential.password_hash):
            new_hash = await asyncio.to_thread(self.hasher.hash, password)
            await users_repo.update_password_hash(
                session=session, user_id=user.id, password_hash=new_hash
            )
        token = await self._new_session(session, user.id, user.email)
        return AuthResult(user=user, token=token)

    async def signout(self, *, session: AsyncSession, principal: Principal) -> None:
        if principal.session_id is not None:
            await users_repo.revoke_session(
                session=session, user_id=principal.user_id, session_id=principal.session_id
            )

    async def decode_principal(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": REQUIRED_CLAIMS},
            )
            user_id = uuid.UUID(str(claims["sub"]))
            session_id = uuid.UUID(str(claims["session_id"]))
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token_expired", "The token has expired; sign in again.") from exc
        except (jwt.InvalidTokenError, ValueError) as exc:
            raise AuthError("invalid_token", "The token is invalid.") from exc
        return Principal(
            user_id=user_id, email=str(claims["email"]), session_id=session_id, claims=claims
        )

    async def verify(self, *, session: AsyncSession, token: str) -> Principal:
        principal = await self.decode_principal(token)
        assert principal.session_id is not None  # required claim
        # The session and its user in one query (a deleted user takes their sessions along).
        found = await users_repo.get_auth_session_with_user(
            session=session, user_id=principal.user_id, session_id=principal.session_id)
        if found is None:
            raise AuthError("invalid_token", "The token is invalid.")
        row, user = found
        if row.revoked_at is not None:
            raise AuthError("token_revoked", "The token was revoked by signing out.")
        if users_repo.as_utc(row.expires_at) <= datetime.now(UTC):
            raise AuthError("token_expired", "The token has expired; sign in again.")
        return dataclasses.replace(principal, user=user)
