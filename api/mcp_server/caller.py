"""Who is calling a tool: resolved on every call, with the REST API's own token check.

Over HTTP the caller is the bearer token of the request that carried the call (the same
`principal_for_token` as REST: signature, expiry, revoked sessions). On stdio the person who
started the process chose the user: a token (checked the same way) or an email address.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import State

from api.auth import AuthError
from api.deps import get_current_user, principal_for_token
from api.errors import AppError, error_body
from db.models import User
from db.repo import users as users_repo


class Caller(Protocol):
    @property
    def files_allowed(self) -> bool:  # may a tool read a file path? only the local user
        ...

    async def user(self, state: State, ctx: Context[Any, Any], session: AsyncSession) -> User:
        ...


def bearer_token(headers: Any) -> str:
    value = (headers or {}).get("authorization", "") if headers is not None else ""
    scheme, _, token = str(value).partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("missing_token", "Authorization: Bearer <token> is required.")
    return token.strip()


@dataclass(frozen=True)
class HttpCaller:
    """The bearer token of the HTTP request that carried this call."""

    files_allowed: bool = False

    async def user(self, state: State, ctx: Context[Any, Any], session: AsyncSession) -> User:
        principal = await principal_for_token(state, bearer_token(ctx.headers), session)
        return await get_current_user(session, principal)


@dataclass(frozen=True)
class TokenCaller:
    """stdio with `--token`: the token is checked on every call, so it expires as on REST."""

    token: str
    files_allowed: bool = True

    async def user(self, state: State, ctx: Context[Any, Any], session: AsyncSession) -> User:
        principal = await principal_for_token(state, self.token, session)
        return await get_current_user(session, principal)


@dataclass(frozen=True)
class LocalUserCaller:
    """stdio with `--user EMAIL`: the local account of that address (made on first use, with
    no password: it can sign in only through this local process)."""

    email: str
    files_allowed: bool = True

    async def user(self, state: State, ctx: Context[Any, Any], session: AsyncSession) -> User:
        found = await users_repo.get_user_by_email(session=session, email=self.email)
        if found is None:
            found = await users_repo.create_user(session=session, email=self.email, name=None,
                                                 password_hash=None)
            await session.commit()
        return found


class RestError(ToolError):
    """A REST error raised in a tool: the call's result carries REST's error body as is."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(json.dumps(body))
        self.body = body


def tool_error(exc: AppError) -> RestError:
    """REST's error body for the tool's error result, so a client reads the same code and
    message (`course_not_found` for a course that is not yours, as REST answers 404)."""
    return RestError(error_body(exc.code, exc.message))
