"""The interface every auth backend implements (local now; Supabase behind the same shape)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import AppError
from db.models import User

BEARER = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Principal:
    """Who a verified token speaks for."""

    user_id: uuid.UUID
    email: str
    session_id: uuid.UUID | None
    claims: dict[str, Any] = field(default_factory=dict)
    # The users row when verify() read it anyway (local auth joins it to the session lookup),
    # so the request does not read it again.
    user: User | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AuthResult:
    user: User
    token: str


class AuthError(AppError):
    """401 with the Bearer challenge the RFC asks for."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message, status=401, headers=BEARER)


class AuthBackend(Protocol):
    """Sign users up/in/out and verify bearer tokens. Implementations flush but do not commit;
    the route owns the transaction."""

    async def signup(
        self, *, session: AsyncSession, email: str, password: str, name: str | None
    ) -> AuthResult: ...

    async def signin(self, *, session: AsyncSession, email: str, password: str) -> AuthResult: ...

    async def signout(self, *, session: AsyncSession, principal: Principal) -> None: ...

    async def verify(self, *, session: AsyncSession, token: str) -> Principal:
        """Signature, claims and the session's state in the database (one round trip)."""
        ...

    async def decode_principal(self, token: str) -> Principal:
        """Signature and claims only, no database: for a session the SessionCache knows live."""
        ...
